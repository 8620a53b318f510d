import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fixture } from '../support/fixtures';
import { makeProject, packageJson, type TestProject } from '../support/project';
import { assertSarifShape } from '../support/sarif';

const CLI = path.resolve(__dirname, '../../dist/cli.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the bundled CLI (what users run), with the project's private bin folder as the whole PATH. */
function cli(project: TestProject, args: string[], cwd = project.root): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: project.bin, HOME: project.base, NO_COLOR: '1' },
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('CLI: lint (dist/cli.js)', () => {
  let project: TestProject;

  before(() => {
    assert.ok(existsSync(CLI), 'dist/cli.js is missing: run "npm run build" (npm test does)');
  });

  beforeEach(() => {
    project = makeProject({
      'package.json': packageJson(
        { lint: 'biome check .', typecheck: 'tsc --noEmit', test: 'mocha' },
        { typescript: '^5' },
      ),
      'node_modules/.bin/tsc': { content: '#!/bin/sh\n', executable: true },
      'packages/api/package.json': packageJson({ test: 'mocha' }),
      'src/http/router.ts': 'export {};\n',
      'src/http/middleware/auth.ts': 'export {};\n',
      'PRPs/ai_docs/express-middleware.md': '# Middleware\n',
      'scripts/smoke.sh': { content: '#!/bin/sh\n', executable: true },
      Makefile: 'check:\n\tnpm test\n',
      'PRPs/rate-limit.md': fixture('complete-ts.md'),
      'PRPs/templates/prp_base.md': fixture('template-v3.md'),
      'PRPs/warn-only.md': fixture('complete-ts.md').replace('npx tsc --noEmit', 'npx cowsay hello'),
      'PRPs/bad-utf8.md': Buffer.from([0x23, 0x20, 0x41, 0xff, 0x0a]),
      'PRPs/deep.md': `# Deep\n\n${'> '.repeat(10_000)}x\n`,
    });
  });
  afterEach(() => project.cleanup());

  it('exit 0 and a one-line summary for a complete PRP, by path or by name', () => {
    for (const arg of ['PRPs/rate-limit.md', 'rate-limit', path.join(project.root, 'PRPs/rate-limit.md')]) {
      const r = cli(project, ['lint', arg]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, 'PRPs/rate-limit.md: no problems found\n');
    }
  });

  it('exit 1 with path:line:col: error: message [rule] lines for an unfilled template', () => {
    const r = cli(project, ['lint', 'templates/prp_base']);
    assert.equal(r.code, 1);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(
      lines[0],
      'PRPs/templates/prp_base.md:8:19: error: unfilled placeholder "[Concrete end state of what gets built]": ' +
        'replace it with the real content [placeholder-unresolved]',
    );
    assert.ok(
      lines.every(
        (l, i) =>
          i === lines.length - 1 || /^PRPs\/templates\/prp_base\.md:\d+:\d+: (error|warning): .+ \[[a-z-]+\]$/.test(l),
      ),
    );
    assert.match(lines[lines.length - 1]!, /^PRPs\/templates\/prp_base\.md: \d+ errors, \d+ warnings$/);
    assert.ok(!r.stderr.includes('\u001b['), 'no colour when NO_COLOR is set');
  });

  it('--json prints {file, errors, warnings} on stdout', () => {
    const r = cli(project, ['lint', 'PRPs/templates/prp_base.md', '--json']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, '');
    const report = JSON.parse(r.stdout) as {
      file: string;
      errors: Array<Record<string, unknown>>;
      warnings: Array<Record<string, unknown>>;
    };
    assert.deepEqual(Object.keys(report), ['file', 'errors', 'warnings']);
    assert.equal(report.file, 'PRPs/templates/prp_base.md');
    assert.deepEqual(report.errors[0], {
      rule: 'placeholder-unresolved',
      message: 'unfilled placeholder "[Concrete end state of what gets built]": replace it with the real content',
      line: 8,
      column: 19,
    });
    assert.ok(report.errors.every((e) => Object.keys(e).join() === 'rule,message,line,column'));
    assert.ok(report.warnings.some((w) => w.rule === 'task-target-missing'));
  });

  it('--json for a clean PRP: exit 0 and empty lists', () => {
    const r = cli(project, ['lint', 'rate-limit', '--json']);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), { file: 'PRPs/rate-limit.md', errors: [], warnings: [] });
  });

  it('--format sarif prints a valid SARIF 2.1.0 log', () => {
    const r = cli(project, ['lint', 'templates/prp_base', '--format', 'sarif']);
    assert.equal(r.code, 1);
    const log = JSON.parse(r.stdout);
    assertSarifShape(log);
    const run = log.runs[0];
    assert.equal(run.tool.driver.name, 'codex-context-forge');
    assert.match(run.tool.driver.version, /^\d+\.\d+\.\d+/);
    assert.equal(run.results[0].locations[0].physicalLocation.artifactLocation.uri, 'PRPs/templates/prp_base.md');
    assert.deepEqual(run.results[0].locations[0].physicalLocation.region, { startLine: 8, startColumn: 19 });
  });

  it('warnings alone exit 0', () => {
    const r = cli(project, ['lint', 'warn-only']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: "npx cowsay" is not installed in the project.* \[gate-npx-download\]/);
    assert.match(r.stderr, /PRPs\/warn-only\.md: 0 errors, 1 warning\n$/);
  });

  it('exit 2 for a missing PRP, a path outside the project, invalid UTF-8 and hostile markdown', () => {
    const missing = cli(project, ['lint', 'nope']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /error: no PRP "nope": looked for "PRPs\/nope\.md"/);

    const outside = cli(project, ['lint', '../elsewhere.md']);
    assert.equal(outside.code, 2);
    assert.match(outside.stderr, /error: PRP path "\.\.\/elsewhere\.md" is outside the project/);

    const utf8 = cli(project, ['lint', 'bad-utf8']);
    assert.equal(utf8.code, 2);
    assert.equal(utf8.stderr, 'PRPs/bad-utf8.md:1:4: error: invalid UTF-8 byte 0xff; save the file as UTF-8\n');

    const deep = cli(project, ['lint', 'deep', '--json']);
    assert.equal(deep.code, 2);
    assert.equal(deep.stdout, '');
    assert.match(deep.stderr, /^PRPs\/deep\.md:3:65: error: lists and block quotes are nested more than 32 deep/);
  });

  it('evaluates ## IF blocks against the project facts: known names are fine, unknown ones are errors', () => {
    const text = fixture('complete-ts.md').replace(
      '## Final Validation Checklist',
      [
        "## IF techStack.database === 'postgresql'",
        '```bash',
        "psql -c 'select 1'",
        '```',
        '## ENDIF',
        '## IF techStack.dbase',
        '## ENDIF',
        '',
        '## Final Validation Checklist',
      ].join('\n'),
    );
    project.write('PRPs/cond.md', text);
    const r = cli(project, ['lint', 'cond', '--json']);
    assert.equal(r.code, 1);
    const report = JSON.parse(r.stdout) as { errors: Array<{ rule: string; line: number; column: number }> };
    assert.deepEqual(
      report.errors.map((e) => [e.rule, e.column]),
      [['prp-conditional-expression', 17]],
    );
  });

  it('exit 2 for bad usage', () => {
    assert.equal(cli(project, ['lint']).code, 2);
    assert.equal(cli(project, ['lint', 'rate-limit', '--format', 'xml']).code, 2);
  });

  it('--cwd selects the project root', () => {
    const r = cli(project, ['--cwd', project.root, 'lint', 'rate-limit'], project.base);
    assert.equal(r.code, 0, r.stderr);
  });

  it('lint --help documents the options', () => {
    const r = cli(project, ['lint', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /--json/);
    assert.match(r.stdout, /--format <format>/);
  });
});
