/** The bundled CLI (`dist/cli.js`, built by `npm test`) running `init` as a user would. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { copyFixture, REPO_ROOT, removeTempDirs, snapshotTree, tempDir } from '../support/temp-project';

const CLI = path.join(REPO_ROOT, 'dist/cli.js');

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonSummary {
  created: string[];
  updated: string[];
  kept: string[];
  unchanged: string[];
  dryRun: boolean;
  techStack: { languages: string[]; packageManager: string };
}

describe('CLI: codex-context-forge init', () => {
  before(() => {
    assert.ok(existsSync(CLI), `${CLI} is missing: run \`npm run build\` first (\`npm test\` does)`);
  });
  afterEach(removeTempDirs);

  it('init in an empty folder, then init --json reports everything unchanged', () => {
    const dir = tempDir();
    const first = cli(['init'], dir);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^ {2}created {2}\.claude\/commands\/prp-create\.md$/m);
    assert.match(first.stdout, /^Done: \d+ created, 0 updated, 0 kept, 0 unchanged\./m);
    assert.ok(existsSync(path.join(dir, '.claude/commands/prp-execute.md')));

    const second = cli(['init', '--json'], dir);
    assert.equal(second.code, 0, second.stderr);
    const summary = JSON.parse(second.stdout) as JsonSummary;
    assert.deepEqual([summary.created, summary.updated, summary.kept], [[], [], []]);
    assert.ok(summary.unchanged.includes('CLAUDE.md'));
    assert.equal(summary.dryRun, false);

    const third = cli(['init'], dir);
    assert.equal(third.code, 0);
    assert.match(third.stdout, /^Nothing to do: the project is already set up/m);
  });

  it('--cwd points init at another folder; detection shows in the output', () => {
    const project = copyFixture('python-poetry-postgres');
    const r = cli(['--cwd', project, 'init'], tempDir());
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Detected: python · poetry · fastapi · pytest · postgresql, redis$/m);
    assert.match(readFileSync(path.join(project, 'CLAUDE.md'), 'utf8'), /poetry run pytest -q/);
  });

  it('--dry-run --json lists what would happen and writes nothing', () => {
    const dir = tempDir();
    const r = cli(['init', '--dry-run', '--json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as JsonSummary;
    assert.equal(summary.dryRun, true);
    assert.ok(summary.created.length > 30);
    assert.deepEqual([...snapshotTree(dir).keys()], []);
    const human = cli(['init', '--dry-run'], dir);
    assert.match(human.stdout, /would create {2}CLAUDE\.md/);
    assert.match(human.stdout, /^Dry run, nothing written/m);
  });

  it('a changed file is kept (exit 0), --force replaces it', () => {
    const dir = tempDir();
    assert.equal(cli(['init'], dir).code, 0);
    writeFileSync(path.join(dir, 'CLAUDE.md'), 'mine\n');
    const kept = cli(['init', '--json'], dir);
    assert.equal(kept.code, 0);
    assert.deepEqual((JSON.parse(kept.stdout) as JsonSummary).kept, ['CLAUDE.md']);
    const human = cli(['init'], dir);
    assert.match(human.stdout, /kept {7}CLAUDE\.md {2}\(changed since init wrote it; --force replaces it\)/);
    const forced = cli(['init', '--force', '--json'], dir);
    assert.deepEqual((JSON.parse(forced.stdout) as JsonSummary).updated, ['CLAUDE.md']);
    assert.notEqual(readFileSync(path.join(dir, 'CLAUDE.md'), 'utf8'), 'mine\n');
  });

  it('invalid settings: exit 2, path:line:column on stderr, nothing written', () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, '.claude'));
    writeFileSync(path.join(dir, '.claude/settings.local.json'), '{\n  "permissions": {\n    "allow": [\n  }\n}\n');
    const before = snapshotTree(dir);
    const r = cli(['init', '--json'], dir);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^\.claude\/settings\.local\.json:4:3: error: invalid JSON \(value expected\); fix the file/m,
    );
    assert.equal(r.stdout, '');
    assert.deepEqual(snapshotTree(dir), before);
  });

  it('a folder that does not exist is a usage error (exit 2)', () => {
    const r = cli(['--cwd', path.join(tempDir(), 'missing'), 'init'], tempDir());
    assert.equal(r.code, 2);
    assert.match(r.stderr, /is not a folder/);
  });

  it('init --help documents the flags', () => {
    const r = cli(['init', '--help'], tempDir());
    assert.equal(r.code, 0);
    for (const flag of ['--force', '--dry-run', '--json']) assert.ok(r.stdout.includes(flag), flag);
  });
});
