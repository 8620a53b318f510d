/** A newcomer's first minutes, from the bundled CLI: init in an empty folder, list, lint a template and a real PRP. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

const COMPLETE = `# Greeting endpoint

## Goal
**Feature Goal**: print a greeting
**Deliverable**: src/index.js printing "hello"
**Success Definition**: \`node src/index.js\` prints hello and the syntax check passes

## Why
- New users need a first command that works.

## What
A script that prints hello.

### Success Criteria
- [ ] \`node src/index.js\` prints hello

## All Needed Context
\`\`\`yaml
- file: src/index.js
  why: the script to change
\`\`\`

## Implementation Blueprint
\`\`\`yaml
Task 1: MODIFY src/index.js
  - IMPLEMENT: print hello
\`\`\`

## Validation Loop

### Level 1: Syntax & Style
\`\`\`bash
node --check src/index.js
\`\`\`

### Level 2: Unit Tests
\`\`\`bash
node src/index.js
\`\`\`

## Final Validation Checklist
- [ ] All levels pass

Confidence Score: 9/10
`;

describe('first use: init → list → lint (dist/cli.js)', function () {
  this.timeout(30_000);
  let dir: string;
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ccf-first-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('init creates the project, list --json describes it', () => {
    assert.equal(cli('init').status, 0);
    const list = cli('list', '--json');
    assert.equal(list.status, 0, list.stderr);
    const json = JSON.parse(list.stdout);
    assert.ok(json.commands.length >= 24);
    assert.ok(
      json.commands.every(
        (c: { name: string; description: string; file: string }) => c.name && c.description && c.file,
      ),
    );
    assert.deepEqual(json.workflows.map((w: { name: string }) => w.name).sort(), [
      'bug_fix',
      'feature_complete',
      'multi_feature',
      'performance',
    ]);
    assert.ok(json.templates.some((t: { file: string }) => t.file === 'PRPs/templates/prp_base.md'));
    assert.deepEqual(json.prps, []);
  });

  it('lint reports the unfilled placeholders of the base template (exit 1)', () => {
    const r = cli('lint', 'PRPs/templates/prp_base.md', '--json');
    assert.equal(r.status, 1);
    const json = JSON.parse(r.stdout);
    assert.ok(json.errors.some((e: { rule: string }) => e.rule === 'placeholder-unresolved'));
    assert.ok(json.errors.every((e: { line: number; column: number }) => e.line >= 1 && e.column >= 1));
  });

  it('lint passes a complete PRP (exit 0)', () => {
    mkdirSync(path.join(dir, 'src'), { recursive: true });
    writeFileSync(path.join(dir, 'src/index.js'), "console.log('hello');\n");
    writeFileSync(path.join(dir, 'PRPs/greeting.md'), COMPLETE);
    const r = cli('lint', 'greeting');
    assert.equal(r.status, 0, r.stderr + r.stdout);
  });
});
