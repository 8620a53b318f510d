/** init against real temporary folders: plan-then-write, idempotence, kept files, merge, refusals. */
import * as assert from 'node:assert/strict';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import * as path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { applyInit, type InitSummary } from '../../../src/core/init/apply';
import { MANIFEST_FILE, SETTINGS_FILE } from '../../../src/core/init/layout';
import { type InitPlan, planInit } from '../../../src/core/init/plan';
import { InputError } from '../../../src/core/problems';
import { copyFixture, removeTempDirs, snapshotTree, TEMPLATES, tempDir, workspaceAt } from '../../support/temp-project';

const TOOL = { name: 'codex-context-forge', version: '0.0.0-test' };

async function plan(dir: string, options: { force?: boolean; templatesRoot?: string } = {}): Promise<InitPlan> {
  return planInit(workspaceAt(dir), {
    templatesRoot: options.templatesRoot ?? TEMPLATES,
    force: options.force,
    tool: TOOL,
  });
}

async function init(dir: string, options: { force?: boolean; templatesRoot?: string } = {}): Promise<InitSummary> {
  return applyInit(workspaceAt(dir), await plan(dir, options));
}

async function inputErrorOf(promise: Promise<unknown>): Promise<InputError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

const read = (dir: string, rel: string) => readFileSync(path.join(dir, rel), 'utf8');

describe('init', () => {
  afterEach(removeTempDirs);

  describe('in an empty folder', () => {
    it('creates the whole tree', async () => {
      const dir = tempDir();
      const s = await init(dir);
      assert.deepEqual([s.updated, s.kept, s.unchanged], [[], [], []]);
      const commands = readdirSync(path.join(dir, '.claude/commands'));
      assert.equal(commands.length, readdirSync(path.join(TEMPLATES, 'commands')).length);
      assert.ok(commands.length >= 24);
      for (const rel of [
        '.claude/orchestration.yaml',
        SETTINGS_FILE,
        MANIFEST_FILE,
        'CLAUDE.md',
        'PRPs/templates/prp_base.md',
        'PRPs/templates/prp_planning.md',
        'PRPs/templates/prp_spec.md',
        'PRPs/templates/prp_task.md',
        'PRPs/templates/prp_bugfix.md',
        'PRPs/ai_docs/README.md',
        'PRPs/completed/.gitkeep',
        '.gitignore',
      ]) {
        assert.ok(existsSync(path.join(dir, rel)), `${rel} exists`);
        assert.ok(s.created.includes(rel), `${rel} reported as created`);
      }
      assert.ok(!existsSync(path.join(dir, 'README.md')), "the templates' README is not copied");
      assert.equal(read(dir, '.gitignore'), '.context-forge/\n');
      assert.ok(!/\{\{ccf/.test(read(dir, 'CLAUDE.md')));
      const manifest = JSON.parse(read(dir, MANIFEST_FILE)) as { files: Record<string, string> };
      assert.ok(manifest.files['CLAUDE.md']?.startsWith('sha256:'));
      assert.ok(manifest.files[`${SETTINGS_FILE}#orchestration`]);
      assert.ok(!(SETTINGS_FILE in manifest.files), 'settings are tracked by their orchestration block only');
    });

    it('is idempotent: a second run changes nothing and the tree is byte-identical', async () => {
      const dir = tempDir();
      await init(dir);
      const before = snapshotTree(dir);
      const s = await init(dir);
      assert.deepEqual([s.created, s.updated, s.kept], [[], [], []]);
      assert.ok(s.unchanged.length > 30);
      assert.deepEqual(snapshotTree(dir), before);
    });

    it('a plan (dry run) writes nothing', async () => {
      const dir = tempDir();
      const p = await plan(dir);
      assert.ok(p.files.every((f) => f.action === 'created'));
      assert.deepEqual([...snapshotTree(dir).keys()], []);
    });
  });

  describe('files the user changed', () => {
    it('are kept, and stay kept on later runs', async () => {
      const dir = tempDir();
      await init(dir);
      appendFileSync(path.join(dir, 'CLAUDE.md'), '\n- Our own rule.\n');
      writeFileSync(path.join(dir, '.claude/commands/prime-context.md'), 'mine\n');
      const ownClaude = read(dir, 'CLAUDE.md');
      const p = await plan(dir);
      const kept = p.files.filter((f) => f.action === 'kept');
      assert.deepEqual(
        kept.map((f) => f.path),
        ['.claude/commands/prime-context.md', 'CLAUDE.md'],
      );
      assert.match(kept[0]!.reason!, /changed since init wrote it/);
      await applyInit(workspaceAt(dir), p);
      assert.equal(read(dir, 'CLAUDE.md'), ownClaude);
      assert.equal(read(dir, '.claude/commands/prime-context.md'), 'mine\n');
      const again = await init(dir);
      assert.deepEqual(again.kept, ['.claude/commands/prime-context.md', 'CLAUDE.md']);
      assert.deepEqual([again.created, again.updated], [[], []]);
    });

    it('--force replaces them; the next run is unchanged', async () => {
      const dir = tempDir();
      await init(dir);
      const original = read(dir, 'CLAUDE.md');
      writeFileSync(path.join(dir, 'CLAUDE.md'), 'mine\n');
      const p = await plan(dir, { force: true });
      const claude = p.files.find((f) => f.path === 'CLAUDE.md')!;
      assert.equal(claude.action, 'updated');
      assert.match(claude.reason!, /--force/);
      await applyInit(workspaceAt(dir), p);
      assert.equal(read(dir, 'CLAUDE.md'), original);
      const s = await init(dir);
      assert.deepEqual([s.created, s.updated, s.kept], [[], [], []]);
    });

    it('a CLAUDE.md that init never wrote is kept in an existing project', async () => {
      const dir = copyFixture('node-ts-vitest-pg');
      writeFileSync(path.join(dir, 'CLAUDE.md'), '# Ours\n');
      const p = await plan(dir);
      const claude = p.files.find((f) => f.path === 'CLAUDE.md')!;
      assert.equal(claude.action, 'kept');
      assert.match(claude.reason!, /not written by init/);
      await applyInit(workspaceAt(dir), p);
      assert.equal(read(dir, 'CLAUDE.md'), '# Ours\n');
      assert.match(read(dir, 'PRPs/templates/prp_base.md'), /pnpm run lint\npnpm run typecheck/);
    });
  });

  describe('a newer template', () => {
    function templatesCopy(): string {
      const root = tempDir('ccf-templates-');
      cpSync(TEMPLATES, root, { recursive: true });
      return root;
    }

    it('updates files nobody touched and keeps the ones the user changed', async () => {
      const templates = templatesCopy();
      const dir = tempDir();
      await init(dir, { templatesRoot: templates });
      writeFileSync(path.join(dir, 'CLAUDE.md'), 'mine\n');
      appendFileSync(path.join(templates, 'commands/prime-context.md'), '\nA new step.\n');
      appendFileSync(path.join(templates, 'CLAUDE.md'), '\nA new rule.\n');
      const p = await plan(dir, { templatesRoot: templates });
      const prime = p.files.find((f) => f.path === '.claude/commands/prime-context.md')!;
      assert.equal(prime.action, 'updated');
      assert.match(prime.reason!, /newer template/);
      assert.equal(p.files.find((f) => f.path === 'CLAUDE.md')!.action, 'kept');
      await applyInit(workspaceAt(dir), p);
      assert.match(read(dir, '.claude/commands/prime-context.md'), /A new step\.\n$/);
      assert.equal(read(dir, 'CLAUDE.md'), 'mine\n');
      const s = await init(dir, { templatesRoot: templates });
      assert.deepEqual([s.created, s.updated, s.kept], [[], [], ['CLAUDE.md']]);
    });

    it('a new settings default replaces an untouched orchestration block, not a customised one', async () => {
      const templates = templatesCopy();
      const settingsTemplate = path.join(templates, 'claude/settings.local.json');
      const a = tempDir();
      const b = tempDir();
      await init(a, { templatesRoot: templates });
      await init(b, { templatesRoot: templates });
      const custom = JSON.parse(read(b, SETTINGS_FILE));
      custom.orchestration.maxConcurrent = 8;
      writeFileSync(path.join(b, SETTINGS_FILE), JSON.stringify(custom, null, 2));
      writeFileSync(
        settingsTemplate,
        readFileSync(settingsTemplate, 'utf8').replace('"maxConcurrent": 3', '"maxConcurrent": 4'),
      );
      const sa = await init(a, { templatesRoot: templates });
      assert.ok(sa.updated.includes(SETTINGS_FILE));
      assert.equal(JSON.parse(read(a, SETTINGS_FILE)).orchestration.maxConcurrent, 4);
      const sb = await init(b, { templatesRoot: templates });
      assert.ok(sb.kept.includes(SETTINGS_FILE));
      assert.equal(JSON.parse(read(b, SETTINGS_FILE)).orchestration.maxConcurrent, 8);
    });
  });

  describe('.claude/settings.local.json', () => {
    it('is merged into: other keys, comments and tab indentation stay', async () => {
      const dir = tempDir();
      mkdirSync(path.join(dir, '.claude'));
      const original =
        '{\n\t// Claude Code permissions\n\t"permissions": {\n\t\t"allow": ["Bash(npm test:*)"]\n\t},\n\t"model": "opus"\n}\n';
      writeFileSync(path.join(dir, SETTINGS_FILE), original);
      const s = await init(dir);
      assert.ok(s.updated.includes(SETTINGS_FILE));
      const text = read(dir, SETTINGS_FILE);
      assert.ok(
        text.startsWith(
          '{\n\t// Claude Code permissions\n\t"permissions": {\n\t\t"allow": ["Bash(npm test:*)"]\n\t},\n\t"model": "opus",',
        ),
      );
      assert.match(text, /\n\t"orchestration": \{\n\t\t"defaultTemplate": "prp_base",/);
      const value = parseJsonc(text) as Record<string, unknown>;
      assert.deepEqual(Object.keys(value), ['permissions', 'model', 'orchestration']);
      assert.deepEqual(value.permissions, { allow: ['Bash(npm test:*)'] });
      const again = await init(dir);
      assert.ok(again.unchanged.includes(SETTINGS_FILE));
    });

    it('an existing orchestration block is kept as it is (byte for byte) unless --force', async () => {
      const dir = tempDir();
      mkdirSync(path.join(dir, '.claude'));
      const original = '{"orchestration": {"maxConcurrent": 1}, "permissions": {"deny": ["Read(.env)"]}}';
      writeFileSync(path.join(dir, SETTINGS_FILE), original);
      const s = await init(dir);
      assert.ok(s.kept.includes(SETTINGS_FILE));
      assert.equal(read(dir, SETTINGS_FILE), original);
      await init(dir, { force: true });
      const forced = JSON.parse(read(dir, SETTINGS_FILE));
      assert.equal(forced.orchestration.maxConcurrent, 3);
      assert.deepEqual(forced.permissions, { deny: ['Read(.env)'] });
    });

    it('an empty file gets the template', async () => {
      const dir = tempDir();
      mkdirSync(path.join(dir, '.claude'));
      writeFileSync(path.join(dir, SETTINGS_FILE), '  \n');
      const s = await init(dir);
      assert.ok(s.updated.includes(SETTINGS_FILE));
      assert.equal(JSON.parse(read(dir, SETTINGS_FILE)).orchestration.maxConcurrent, 3);
    });

    for (const [what, content, line, column] of [
      ['invalid JSON', '{\n  "permissions": {\n    "allow": [,]\n  }\n}\n', 3, 15],
      ['an array instead of an object', '[\n  1\n]\n', 1, 1],
      ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]), 1, 3],
    ] as const) {
      it(`${what}: a positioned error and nothing written`, async () => {
        const dir = tempDir();
        mkdirSync(path.join(dir, '.claude'));
        writeFileSync(path.join(dir, SETTINGS_FILE), content);
        const before = snapshotTree(dir);
        const err = await inputErrorOf(plan(dir));
        const p = err.problems[0]!;
        assert.deepEqual([p.file, p.line, p.column, p.severity], [SETTINGS_FILE, line, column, 'error']);
        assert.deepEqual(snapshotTree(dir), before);
      });
    }
  });

  describe('.gitignore', () => {
    for (const [what, before, after] of [
      ['appends a line (adding the missing final newline)', 'node_modules/', 'node_modules/\n.context-forge/\n'],
      ['keeps CRLF line endings', 'dist\r\n', 'dist\r\n.context-forge/\r\n'],
      ['leaves an existing entry alone', 'x\n.context-forge/\n', 'x\n.context-forge/\n'],
      ['recognises the anchored form', '/.context-forge\n', '/.context-forge\n'],
    ] as const) {
      it(what, async () => {
        const dir = tempDir();
        writeFileSync(path.join(dir, '.gitignore'), before);
        const s = await init(dir);
        assert.equal(read(dir, '.gitignore'), after);
        assert.ok((before === after ? s.unchanged : s.updated).includes('.gitignore'));
      });
    }
  });

  describe('refusals (nothing written)', () => {
    it('.claude symlinked outside the project', async () => {
      const outside = tempDir('ccf-outside-');
      const dir = tempDir();
      symlinkSync(outside, path.join(dir, '.claude'));
      const before = snapshotTree(dir);
      const err = await inputErrorOf(plan(dir));
      assert.ok(err.problems.some((p) => p.rule === 'init-target' && /outside the project/.test(p.message)));
      assert.deepEqual(snapshotTree(dir), before);
      assert.deepEqual(readdirSync(outside), []);
    });

    it('CLAUDE.md symlinked to a file outside the project', async () => {
      const outside = tempDir('ccf-outside-');
      writeFileSync(path.join(outside, 'target.md'), 'theirs\n');
      const dir = tempDir();
      symlinkSync(path.join(outside, 'target.md'), path.join(dir, 'CLAUDE.md'));
      const err = await inputErrorOf(plan(dir));
      assert.equal(err.problems[0]!.file, 'CLAUDE.md');
      assert.equal(readFileSync(path.join(outside, 'target.md'), 'utf8'), 'theirs\n');
      assert.ok(!existsSync(path.join(dir, '.claude')));
    });

    it('a file where a folder must be, and a folder where a file must be', async () => {
      const dir = tempDir();
      writeFileSync(path.join(dir, 'PRPs'), 'not a folder');
      mkdirSync(path.join(dir, 'CLAUDE.md'));
      const before = snapshotTree(dir);
      const err = await inputErrorOf(plan(dir));
      const messages = err.problems.map((p) => `${p.file}: ${p.message}`);
      assert.ok(messages.includes('PRPs: is a file; init needs a folder here'), messages.join('\n'));
      assert.ok(messages.includes('CLAUDE.md: is a folder; init needs a file here'), messages.join('\n'));
      assert.deepEqual(snapshotTree(dir), before);
    });
  });

  describe('links inside the project', () => {
    it('a CLAUDE.md linked to a file inside the project is written through, the link stays', async () => {
      const dir = tempDir();
      mkdirSync(path.join(dir, 'docs'));
      writeFileSync(path.join(dir, 'docs/AGENTS.md'), '');
      symlinkSync('docs/AGENTS.md', path.join(dir, 'CLAUDE.md'));
      await init(dir, { force: true });
      assert.match(read(dir, 'docs/AGENTS.md'), /^# CLAUDE\.md/);
      assert.equal(snapshotTree(dir).get('CLAUDE.md'), '-> docs/AGENTS.md');
    });
  });

  describe('the manifest', () => {
    it('an unreadable manifest is a warning; files that differ are then kept, identical ones unchanged', async () => {
      const dir = tempDir();
      await init(dir);
      writeFileSync(path.join(dir, 'CLAUDE.md'), 'mine\n');
      writeFileSync(path.join(dir, MANIFEST_FILE), '{ not json');
      const p = await plan(dir);
      assert.equal(p.warnings[0]?.file, MANIFEST_FILE);
      assert.equal(p.warnings[0]?.severity, 'warning');
      assert.equal(p.files.find((f) => f.path === 'CLAUDE.md')!.action, 'kept');
      assert.equal(p.files.find((f) => f.path === 'PRPs/templates/prp_base.md')!.action, 'unchanged');
      assert.equal(p.files.find((f) => f.path === MANIFEST_FILE)!.action, 'updated');
    });

    it('is committed with the files (under .claude/), not in the git-ignored .context-forge/', async () => {
      assert.ok(MANIFEST_FILE.startsWith('.claude/'));
    });
  });

  describe('PRPs/completed', () => {
    it('gets a .gitkeep only when it is empty', async () => {
      const dir = tempDir();
      mkdirSync(path.join(dir, 'PRPs/completed'), { recursive: true });
      writeFileSync(path.join(dir, 'PRPs/completed/old-feature.md'), '# done\n');
      const s = await init(dir);
      assert.ok(s.unchanged.includes('PRPs/completed/.gitkeep'));
      assert.ok(!existsSync(path.join(dir, 'PRPs/completed/.gitkeep')));
    });
  });

  describe('detection problems', () => {
    it('malformed manifests do not stop init; they come back as warnings', async () => {
      const dir = copyFixture('malformed');
      const p = await plan(dir);
      assert.equal(p.warnings.length, 5);
      assert.ok(p.warnings.every((w) => w.severity === 'warning'));
      await applyInit(workspaceAt(dir), p);
      assert.match(read(dir, 'CLAUDE.md'), /go vet \.\/\.\.\./);
    });
  });
});
