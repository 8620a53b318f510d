import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { prpArgument, slugify } from '../../../src/core/agent/command-task';
import { ContextManager } from '../../../src/core/agent/context/context-manager';
import { renderSnapshot, takeSnapshot } from '../../../src/core/agent/context/snapshot';
import { contextFiles, verifyContext } from '../../../src/core/agent/context/verify';
import { moveCompletedPrp } from '../../../src/core/prp-lifecycle/move-completed';
import { Workspace } from '../../../src/core/workspace';
import { NodeFileSystem } from '../../../src/node/node-file-system';
import { NodeProcessRunner } from '../../../src/node/process-runner';
import { agentProject, writeText } from '../../support/agent-harness';
import { FakeClock } from '../../support/fake-clock';
import { removeTempDirs } from '../../support/temp-project';

describe('context manager, /context-verify, and PRP housekeeping', function () {
  this.timeout(20_000);
  let root: string;
  let workspace: Workspace;
  const runner = new NodeProcessRunner();
  const pathDirs = (process.env.PATH ?? '').split(path.delimiter);

  beforeEach(async () => {
    root = await agentProject();
    workspace = new Workspace(root, new NodeFileSystem());
  });
  afterEach(() => removeTempDirs());

  describe('project snapshot', () => {
    it('summarises tree, stack, dependencies, tests and CLAUDE.md rules; git is optional', async () => {
      writeText(
        root,
        'package.json',
        JSON.stringify({ name: 'calc', devDependencies: { typescript: '^5.9.0' }, scripts: { test: 'node --test' } }),
      );
      const s = await takeSnapshot({ workspace, runner, now: () => 42 });
      assert.equal(s.takenAt, 42);
      assert.equal(s.name, 'calc');
      assert.ok(s.tree.lines.includes('src/ (1 files)'));
      assert.ok(s.tree.lines.includes('package.json'));
      assert.deepEqual(s.dependencies, [
        { ecosystem: 'npm', file: 'package.json', entries: ['typescript@^5.9.0 (dev)'], more: 0 },
      ]);
      assert.deepEqual(s.tests.directories, ['test']);
      assert.deepEqual(s.tests.examples, ['test/math.test.js']);
      assert.equal(s.git, undefined, 'the temp project is not a git repository');
      assert.ok(s.rules.some((r) => /harness runs the Validation Loop gates/.test(r)));
      const text = renderSnapshot(s);
      assert.match(text, /Git: not a git repository\./);
      assert.match(text, /Dependencies:\n {2}package\.json: typescript@\^5\.9\.0 \(dev\)/);
    });

    it('reads recent commits and uncommitted changes through git (argv, no shell)', async () => {
      const git = async (...args: string[]) =>
        runner.run({
          argv: ['git', ...args],
          cwd: root,
          env: { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
        });
      await git('init', '-q', '-b', 'main');
      await git('add', '-A');
      await git('commit', '-q', '-m', 'Initial calc');
      writeText(root, 'src/new.js', '1;\n');
      const s = await takeSnapshot({ workspace, runner, now: () => 0 });
      assert.equal(s.git?.branch, 'main');
      assert.match(s.git!.commits[0]!, /^[0-9a-f]{7,} \d{4}-\d\d-\d\d Initial calc$/);
      assert.deepEqual(s.git!.changes, ['?? src/new.js']);
    });

    it('is refreshed when older than the interval, or on demand; 0 turns automatic refreshes off', async () => {
      const clock = new FakeClock(1000);
      const m = new ContextManager({ workspace, runner, now: () => clock.now(), refreshIntervalMs: 60_000 });
      const a = await m.snapshot();
      clock.advance(30_000);
      assert.equal(await m.snapshot(), a);
      clock.advance(31_000);
      const b = await m.snapshot();
      assert.notEqual(b, a);
      assert.equal(m.refreshes, 2);
      const full = await m.refresh({ full: true });
      assert.equal(full.full, true);
      const off = new ContextManager({ workspace, runner, now: () => clock.now(), refreshIntervalMs: 0 });
      const c = await off.snapshot();
      clock.advance(10 * 86_400_000);
      assert.equal(await off.snapshot(), c);
    });
  });

  describe('/context-verify (deterministic)', () => {
    it('a freshly initialised project verifies without errors', async () => {
      const report = await verifyContext(workspace, { pathDirs });
      assert.deepEqual(report.files, ['CLAUDE.md', 'PRPs/ai_docs/math-notes.md', 'PRPs/fix-add.md']);
      assert.ok(report.checked > 5);
      assert.deepEqual(
        report.problems.filter((p) => p.severity === 'error'),
        [],
      );
    });

    it('reports missing paths, missing scripts and unknown programs with their positions', async () => {
      writeText(
        root,
        'CLAUDE.md',
        [
          '# Rules',
          '',
          '- Handlers live in `src/handlers/`; keep `package-lock.json` in sync; never edit `.vscode/`.',
          '- Run `npm run lint` before you stop.',
          '- See [the guide](docs/guide.md).',
          '',
          '```bash',
          'frobnicate --all && npm test',
          '```',
          '',
        ].join('\n'),
      );
      writeText(
        root,
        'PRPs/fix-add.md',
        '```yaml\n- file: src/gone.js\n- docfile: PRPs/ai_docs/missing.md\n```\n`src/not-a-claim-in-a-prp.js`\n',
      );
      const report = await verifyContext(workspace, { pathDirs });
      const found = report.problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.severity} ${p.rule}`);
      assert.deepEqual(found, [
        'CLAUDE.md:3:21 error context-missing-path',
        'CLAUDE.md:4:8 error context-missing-script',
        'CLAUDE.md:5:19 error context-missing-path',
        'CLAUDE.md:8:1 warning context-unresolvable-command',
        'PRPs/fix-add.md:2:9 error context-missing-path',
        'PRPs/fix-add.md:3:12 error context-missing-path',
      ]);
      assert.match(report.problems[1]!.message, /runs the package.json script "lint", which does not exist/);
    });

    it('refuses references that escape the project', async () => {
      mkdirSync(path.join(root, 'PRPs/ai_docs'), { recursive: true });
      writeFileSync(path.join(root, 'PRPs/ai_docs/escape.md'), '- file: ../../etc/passwd\n');
      const report = await verifyContext(workspace, { pathDirs, files: ['PRPs/ai_docs/escape.md'] });
      assert.equal(report.problems[0]!.rule, 'context-path-escape');
      assert.ok((await contextFiles(workspace)).includes('PRPs/ai_docs/escape.md'));
    });
  });

  describe('PRP housekeeping', () => {
    it('moves a completed PRP to PRPs/completed/ without overwriting', async () => {
      writeText(root, 'PRPs/completed/fix-add.md', 'an older one');
      const moved = await moveCompletedPrp(workspace, 'PRPs/fix-add.md');
      assert.deepEqual(moved, { ok: true, from: 'PRPs/fix-add.md', to: 'PRPs/completed/fix-add-2.md' });
      const again = await moveCompletedPrp(workspace, 'PRPs/completed/fix-add-2.md');
      assert.equal(again.ok, false);
      assert.deepEqual(await moveCompletedPrp(workspace, 'src/math.js'), {
        ok: false,
        message: 'src/math.js is not a PRP under PRPs/; not moved',
      });
      writeText(root, 'PRPs/b.md', 'x');
      const custom = await moveCompletedPrp(workspace, './PRPs/b.md', { completedDir: 'PRPs/done/' });
      assert.deepEqual(custom, { ok: true, from: 'PRPs/b.md', to: 'PRPs/done/b.md' });
      const outside = await moveCompletedPrp(workspace, 'PRPs/../../x.md');
      assert.equal(outside.ok, false);
    });

    it('slugs and PRP arguments', () => {
      assert.equal(slugify('User Auth with OAuth!'), 'user-auth-with-oauth');
      assert.equal(slugify('Émile’s café'), 'emile-s-cafe');
      assert.equal(slugify('a'.repeat(50) + ' ' + 'b'.repeat(30)), 'a'.repeat(50));
      assert.equal(prpArgument(['./PRPs/x.md']), 'PRPs/x.md');
      assert.equal(prpArgument(['PRPs/templates/prp_base.md']), undefined);
      assert.equal(prpArgument(['notes.md']), undefined);
    });
  });
});
