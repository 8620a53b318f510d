import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { editFileTool, occurrences } from '../../../src/core/agent/tools/edit-file';
import { globTool } from '../../../src/core/agent/tools/glob';
import { grepTool, hasNestedQuantifier } from '../../../src/core/agent/tools/grep';
import { listDirTool } from '../../../src/core/agent/tools/list-dir';
import { readFileTool } from '../../../src/core/agent/tools/read-file';
import { OutputCapture, runCommandTool } from '../../../src/core/agent/tools/run-command';
import { type AgentTool, DEFAULT_TOOL_LIMITS, type ToolContext, ToolError } from '../../../src/core/agent/tools/tool';
import { writeFileTool } from '../../../src/core/agent/tools/write-file';
import { PermissionPolicy } from '../../../src/core/policy/policy';
import { NodeFileSystem } from '../../../src/node/node-file-system';
import { NodeProcessRunner } from '../../../src/node/process-runner';
import { removeTempDirs, tempDir } from '../../support/temp-project';

describe('agent tools (real files in a temp project)', () => {
  let root: string;
  let ctx: ToolContext;

  beforeEach(() => {
    root = tempDir('ccf-tools-');
    const fs = new NodeFileSystem();
    mkdirSync(path.join(root, 'src/deep'), { recursive: true });
    writeFileSync(path.join(root, 'src/a.ts'), 'export const a = 1;\nexport const b = 2;\n');
    writeFileSync(path.join(root, 'src/deep/c.ts'), 'const a = 1;\n');
    writeFileSync(path.join(root, '.env'), 'TOKEN=x\n');
    mkdirSync(path.join(root, 'node_modules/pkg'), { recursive: true });
    writeFileSync(path.join(root, 'node_modules/pkg/index.ts'), 'export const a = 1;\n');
    writeFileSync(path.join(root, 'bin.dat'), Buffer.from([0, 1, 2, 3]));
    symlinkSync(path.join(root, 'src'), path.join(root, 'src-link'));
    ctx = {
      root,
      fs,
      runner: new NodeProcessRunner({ graceMs: { interrupt: 100, terminate: 100 } }),
      policy: new PermissionPolicy({ root, home: tempDir('ccf-home-'), fs }),
      signal: new AbortController().signal,
      limits: { ...DEFAULT_TOOL_LIMITS },
      commandEnv: { ANTHROPIC_API_KEY: '' },
    };
  });
  afterEach(() => removeTempDirs());

  const run = <T>(tool: AgentTool<unknown>, input: T) => tool.run(input, ctx);

  it('read_file returns the text exactly, or a range with a note; binary and missing files are errors', async () => {
    assert.equal((await run(readFileTool, { path: 'src/a.ts' })).content, 'export const a = 1;\nexport const b = 2;\n');
    assert.equal(
      (await run(readFileTool, { path: 'src/a.ts', offset: 2, limit: 1 })).content,
      'export const b = 2;\n[lines 2–2 of 2]',
    );
    await assert.rejects(run(readFileTool, { path: 'bin.dat' }), /binary/);
    await assert.rejects(run(readFileTool, { path: 'nope.ts' }), ToolError);
    await assert.rejects(run(readFileTool, { path: 'src' }), /directory; use list_dir/);
  });

  it('list_dir lists one level, directories first', async () => {
    const out = (await run(listDirTool, {})).content;
    assert.match(out, /^\. \(\d+ entries\)\nnode_modules\/\nsrc\/\n\.env\nbin\.dat\nsrc-link@$/);
  });

  it('glob skips node_modules unless named, never follows links, and hides what the policy does not allow', async () => {
    assert.equal((await run(globTool, { pattern: '**/*.ts' })).content, 'src/a.ts\nsrc/deep/c.ts');
    assert.equal((await run(globTool, { pattern: 'node_modules/**/*.ts' })).content, 'node_modules/pkg/index.ts');
    assert.match(
      (await run(globTool, { pattern: '.env*' })).content,
      /No files match[\s\S]*1 matching file\(s\) not shown/,
    );
  });

  it('grep finds matching lines with positions; refuses catastrophic patterns', async () => {
    const out = (await run(grepTool, { pattern: 'const a', glob: '**/*.ts' })).content;
    assert.equal(out, 'src/a.ts:1: export const a = 1;\nsrc/deep/c.ts:1: const a = 1;');
    await assert.rejects(run(grepTool, { pattern: '(a+)+$' }), /nests repeated groups/);
    await assert.rejects(run(grepTool, { pattern: '([' }), /invalid regular expression/);
    assert.equal(hasNestedQuantifier('(\\w+\\s)*x'), true);
    assert.equal(hasNestedQuantifier('(ab)+c*'), false);
    assert.equal(hasNestedQuantifier('[(a+)]+'), false, 'inside a class, parentheses are literal');
  });

  it('write_file creates parents and reports; edit_file replaces exactly one occurrence or fails without writing', async () => {
    assert.match(
      (await run(writeFileTool, { path: 'new/dir/x.txt', content: 'a\nb\n' })).content,
      /Created new\/dir\/x\.txt \(2 lines/,
    );
    await assert.rejects(run(editFileTool, { path: 'src/a.ts', old_text: 'export', new_text: 'x' }), /occurs 2 times/);
    await assert.rejects(
      run(editFileTool, { path: 'src/a.ts', old_text: 'export  const a', new_text: 'x' }),
      /not found.*matches when whitespace is ignored/s,
    );
    await run(editFileTool, { path: 'src/a.ts', old_text: 'b = 2', new_text: 'b = $& + 1' });
    assert.equal(readFileSync(path.join(root, 'src/a.ts'), 'utf8'), 'export const a = 1;\nexport const b = $& + 1;\n');
    await run(editFileTool, { path: 'src/a.ts', old_text: 'export ', new_text: '', replace_all: true });
    assert.equal(readFileSync(path.join(root, 'src/a.ts'), 'utf8'), 'const a = 1;\nconst b = $& + 1;\n');
    assert.deepEqual(occurrences('aaaa', 'aa'), [0, 2]);
  });

  it('run_command runs exactly the given text, reports the exit code, and blanks API keys', async () => {
    const out = await run(runCommandTool, { command: 'echo "key=[$ANTHROPIC_API_KEY]"; exit 3' });
    assert.match(
      out.content,
      /^\$ echo "key=\[\$ANTHROPIC_API_KEY\]"; exit 3\nexit code 3 \([\d.]+ (ms|s)\)\nkey=\[\]$/,
    );
    const timed = await run(runCommandTool, { command: 'sleep 5', timeout_ms: 1000 });
    assert.match(timed.content, /timed out after 1\.0 s/);
    assert.equal(timed.isError, true);
  });

  it('OutputCapture keeps the head and the tail of long output', () => {
    const c = new OutputCapture(20, 30);
    for (let i = 0; i < 100; i++) c.push({ stream: 'stdout', text: `line ${i}`, ts: 0 });
    const text = c.text();
    assert.match(text, /^line 0\nline 1\n\[… \d+ lines omitted …\]\n/);
    assert.match(text, /line 99$/);
    c.push({ stream: 'stdout', text: 'abc', ts: 0, continues: true } as never);
    c.push({ stream: 'stdout', text: 'def', ts: 0 });
    assert.match(c.text(), /abcdef$/);
  });
});
