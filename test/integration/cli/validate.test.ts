/** `validate` and `run-prp` from the built CLI on a small project whose gates are real commands. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

const PRP = `# Add

## Goal
**Feature Goal**: add numbers
**Deliverable**: src/add.js
**Success Definition**: level 2 passes

## Why
- needed

## What
Adds.

### Success Criteria
- [ ] add works

## All Needed Context
\`\`\`yaml
- file: src/add.js
  why: the code
\`\`\`

## Implementation Blueprint
\`\`\`yaml
Task 1: MODIFY src/add.js
  - IMPLEMENT: add
\`\`\`

## Validation Loop

### Level 1: Syntax & Style
\`\`\`bash
node --check src/add.js
\`\`\`

### Level 2: Unit Tests
\`\`\`bash
node test/add.test.js
\`\`\`

### Level 4: Creative & Domain-Specific
\`\`\`bash
echo domain
\`\`\`
`;

const TEST = `const add = require('../src/add.js');
if (add(1, 2) !== 3) {
  console.error('test/add.test.js:2:5 - error TS2322: expected 3, got ' + add(1, 2));
  process.exit(1);
}
console.log('ok');
`;

describe('CLI validate and run-prp (real gates)', function () {
  this.timeout(60_000);
  let dir: string;
  let config: string;
  const cli = (...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, ...args], {
      cwd: dir,
      env: {
        ...process.env,
        CCF_CONFIG_DIR: config,
        NO_COLOR: '1',
        ANTHROPIC_API_KEY: '',
        CLAUDE_API_KEY: '',
        GITHUB_ACTIONS: '',
      },
      encoding: 'utf8',
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ccf-validate-'));
    config = mkdtempSync(path.join(tmpdir(), 'ccf-config-'));
    write('PRPs/add.md', PRP);
    write('test/add.test.js', TEST);
    write('src/add.js', 'module.exports = (a, b) => a - b;\n');
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(config, { recursive: true, force: true });
  });

  it('fails (exit 1) with evidence in the documented JSON shape, then passes (exit 0) once the code is fixed', () => {
    const failed = cli('validate', 'add', '--json', '--yes');
    assert.equal(failed.code, 1, failed.stderr);
    const json = JSON.parse(failed.stdout);
    assert.equal(json.passed, false);
    assert.deepEqual(
      json.levels.map((l: { level: number; passed: boolean; skipped: boolean }) => [l.level, l.passed, l.skipped]),
      [
        [1, true, false],
        [2, false, false],
        [4, false, true],
      ],
    );
    const cmd = json.levels[1].commands[0];
    assert.equal(cmd.command, 'node test/add.test.js');
    assert.equal(cmd.exitCode, 1);
    assert.ok(Number.isInteger(cmd.durationMs));
    assert.deepEqual(cmd.diagnostics[0], {
      file: 'test/add.test.js',
      line: 2,
      column: 5,
      endLine: 2,
      endColumn: 5,
      severity: 'error',
      code: 'TS2322',
      message: 'expected 3, got -1',
      source: 'ts',
    });
    write('src/add.js', 'module.exports = (a, b) => a + b;\n');
    const passed = cli('validate', 'PRPs/add.md', '--json', '--yes');
    assert.equal(passed.code, 0, passed.stderr);
    const ok = JSON.parse(passed.stdout);
    assert.equal(ok.passed, true);
    assert.deepEqual(
      [ok.levels[2].passed, ok.levels[2].skipped],
      [true, false],
      'domain is recommended by default: it runs',
    );
  });

  it('--level, --skip-validation and --format sarif', () => {
    const only = JSON.parse(cli('validate', 'add', '--level', '1', '--json', '--yes').stdout);
    assert.equal(only.passed, true);
    assert.deepEqual(
      only.levels.map((l: { skipped: boolean }) => l.skipped),
      [false, true, true],
    );
    const skipped = JSON.parse(cli('validate', 'add', '--skip-validation', 'unit', '--json', '--yes').stdout);
    assert.equal(skipped.levels[1].skipped, true);
    const sarif = JSON.parse(cli('validate', 'add', '--format', 'sarif', '--yes').stdout);
    assert.equal(sarif.version, '2.1.0');
    const result = sarif.runs[0].results[0];
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'test/add.test.js');
    assert.equal(result.locations[0].physicalLocation.region.startLine, 2);
  });

  it('GitHub Actions annotations when GITHUB_ACTIONS=true', () => {
    const r = spawnSync(process.execPath, [CLI, 'validate', 'add', '--yes'], {
      cwd: dir,
      env: { ...process.env, CCF_CONFIG_DIR: config, NO_COLOR: '1', GITHUB_ACTIONS: 'true' },
      encoding: 'utf8',
    });
    assert.match(r.stdout, /::error file=test\/add\.test\.js,line=2,col=5[^:]*::expected 3, got -1/);
  });

  it('exit 2 for a missing PRP, a path outside the project, or a PRP with hidden characters in a gate', () => {
    assert.equal(cli('validate', 'nope', '--yes').code, 2);
    assert.equal(cli('validate', '../../etc/passwd', '--yes').code, 2);
    write('PRPs/hidden.md', PRP.replace('node --check src/add.js', 'node --check src/add.js\u202e'));
    const hidden = cli('validate', 'hidden', '--yes');
    assert.equal(hidden.code, 2);
    assert.match(hidden.stderr, /PRPs\/hidden\.md:\d+:\d+: error: invisible character U\+202E/);
  });

  it('run-prp without a model provider fails cleanly (exit 1) and runs no gate', () => {
    const r = cli('run-prp', 'add', '--yes');
    assert.equal(r.code, 1, r.stderr + r.stdout);
    assert.match(r.stdout, /no model provider configured/);
    const report = JSON.parse(cli('report', '--json').stdout);
    assert.equal(report.metrics.validationsPassed + report.metrics.validationsFailed, 0);
  });

  it('run-prp --batch runs each PRP as its own run, concurrently under maxConcurrent, output prefixed', () => {
    write('PRPs/b.md', PRP);
    write('PRPs/c.md', PRP);
    const r = cli('run-prp', '--batch', 'add,b,c', '--yes');
    assert.equal(r.code, 1, 'no provider: every agent step fails cleanly');
    for (const name of ['add', 'b', 'c'])
      assert.match(r.stdout, new RegExp(`\\[PRPs/${name}\\.md\\] ▶ /prp-execute PRPs/${name}\\.md`));
    const runs = JSON.parse(cli('status', '--json').stdout).runs;
    assert.deepEqual(runs.map((x: { target: string }) => x.target).sort(), ['PRPs/add.md', 'PRPs/b.md', 'PRPs/c.md']);
  });

  it('run-prp --batch with --shard picks the i-th share', () => {
    write('PRPs/b.md', PRP);
    write('PRPs/c.md', PRP);
    const r = cli('run-prp', '--batch', 'add,b,c', '--shard', '2/2', '--dry-run');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Shard 2\/2: 1 of 3 PRPs \(b\)/);
    assert.match(r.stdout, /Plan for PRPs\/b\.md/);
    assert.equal(cli('run-prp', '--batch', 'add', '--shard', '3/2').code, 2);
  });
});
