import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Problem } from '../../../src/core/problems';
import { MARKDOWN_LIMITS, parsePrp, readPrp } from '../../../src/core/prp';
import { MAX_INPUT_BYTES } from '../../../src/core/text';
import { Workspace } from '../../../src/core/workspace';
import { NodeFileSystem } from '../../../src/node/node-file-system';

/** Hostile input must give a positioned problem and no model — never a hang or a stack overflow. */
function refused(text: string): Problem {
  const r = parsePrp(text, 'PRPs/hostile.md');
  assert.equal(r.value, undefined, 'expected no model');
  assert.ok(r.problems.length > 0);
  return r.problems[0]!;
}

function at(p: Problem): [number, number, string] {
  return [p.line, p.column, p.rule];
}

describe('PRP reader on hostile input', () => {
  describe('markdown that would make remark slow or overflow its stack', () => {
    it('block quotes nested 10,000 deep on one line', () => {
      const p = refused(`${'> '.repeat(10_000)}x`);
      assert.deepEqual(at(p), [1, 2 * MARKDOWN_LIMITS.maxNesting + 1, 'markdown-too-complex']);
      assert.match(p.message, /nested more than 32 deep/);
    });

    it('block quotes nested one level deeper on every line', () => {
      const text = Array.from({ length: 1000 }, (_, i) => `${'>'.repeat(i + 1)} x`).join('\n');
      assert.deepEqual(at(refused(text)), [33, 33, 'markdown-too-complex']);
    });

    it('"* ".repeat(8000) + "a" (remark#1010)', () => {
      assert.deepEqual(at(refused(`${'* '.repeat(8000)}a`)), [1, 65, 'markdown-too-complex']);
    });

    it('lists nested by indentation 1,000 deep', () => {
      const text = Array.from({ length: 1000 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n');
      assert.deepEqual(at(refused(text)), [33, 65, 'markdown-too-complex']);
    });

    it('100,000 [ in a row', () => {
      const p = refused('['.repeat(100_000));
      assert.deepEqual(at(p), [1, MARKDOWN_LIMITS.maxDelimiters + 1, 'markdown-too-complex']);
      assert.match(p.message, /more than 1000 "\[" characters in one paragraph/);
    });

    for (const [name, unit] of [
      ['emphasis', '*a'],
      ['underscores', '_a'],
      ['strikethrough', '~a'],
      ['backticks', '`a'],
    ] as const) {
      it(`runs of ${name} in one paragraph`, () => {
        const p = refused(`# ok\n\nintro\n${unit.repeat(50_000)}`);
        assert.equal(p.line, 4);
        assert.equal(p.rule, 'markdown-too-complex');
      });
    }

    it('thousands of nested list items without a break', () => {
      const text = `- top\n${'  - nested\n'.repeat(5000)}`;
      const p = refused(text);
      assert.deepEqual(at(p), [MARKDOWN_LIMITS.maxNestedListLines + 2, 1, 'markdown-too-complex']);
    });

    it('accepts the same characters in code fences, and a long thematic break', () => {
      const text = `# ok\n\n\`\`\`text\n${'['.repeat(50_000)}\n${'> '.repeat(5000)}\n\`\`\`\n\n${'* '.repeat(3000)}\n`;
      const r = parsePrp(text, 'PRPs/ok.md');
      assert.ok(r.value);
      assert.deepEqual(r.problems, []);
    });

    it('counts delimiters per paragraph: many ordinary paragraphs are fine', () => {
      const text = Array.from(
        { length: 2000 },
        (_, i) => `Paragraph ${i} with **bold**, _em_ and [a link](https://x/${i}).`,
      ).join('\n\n');
      const r = parsePrp(text, 'PRPs/ok.md');
      assert.ok(r.value);
    });

    it('a long document of shallow nested lists parses (cut into chunks) with the right positions', () => {
      const text = `# Big\n\n## Validation Loop\n\n${'- a\n  - b\n'.repeat(3000)}\n### Level 1: Lint\n\n\`\`\`bash\nnpm run lint\n\`\`\`\n`;
      const r = parsePrp(text, 'PRPs/big.md');
      assert.ok(r.value, JSON.stringify(r.problems));
      const cmd = r.value.validationLevels[0]!.commands[0]!;
      assert.deepEqual([cmd.text, cmd.line, cmd.column], ['npm run lint', 6009, 1]);
    });
  });

  describe('bytes', () => {
    let dir: string;
    let ws: Workspace;
    before(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'ccf-hostile-'));
      ws = new Workspace(dir, new NodeFileSystem());
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('invalid UTF-8 is a positioned problem', async () => {
      writeFileSync(
        path.join(dir, 'bad.md'),
        Buffer.concat([Buffer.from('# Title\n\nok line\nbad '), Buffer.from([0xff, 0x0a])]),
      );
      const r = await readPrp(ws, 'bad.md');
      assert.equal(r.value, undefined);
      assert.deepEqual(
        r.problems.map((p) => [p.file, p.line, p.column, p.rule]),
        [['bad.md', 4, 5, 'invalid-utf8']],
      );
    });

    it('a file over the 2 MB cap is refused before parsing', async () => {
      writeFileSync(path.join(dir, 'big.md'), `# Big\n${'x'.repeat(MAX_INPUT_BYTES)}`);
      const r = await readPrp(ws, 'big.md');
      assert.equal(r.value, undefined);
      assert.deepEqual(
        r.problems.map((p) => [p.line, p.rule]),
        [[1, 'file-too-large']],
      );
      // The same cap applies to text handed in directly (e.g. an editor buffer).
      assert.equal(parsePrp(`# Big\n${'é'.repeat(MAX_INPUT_BYTES / 2)}`, 'x.md').problems[0]?.rule, 'file-too-large');
    });

    it('a path outside the project is refused; a missing file is a problem', async () => {
      const out = await readPrp(ws, '../outside.md');
      assert.deepEqual(
        out.problems.map((p) => p.rule),
        ['path-outside-project'],
      );
      const missing = await readPrp(ws, 'PRPs/none.md');
      assert.deepEqual(
        missing.problems.map((p) => [p.file, p.rule]),
        [['PRPs/none.md', 'file-not-found']],
      );
    });
  });

  describe('hidden Unicode in gate commands', () => {
    const text = [
      '# t',
      '',
      '## Validation Loop',
      '',
      '### Level 1: Lint',
      '',
      '```bash',
      'npm run lint\u200b',
      'echo "\u202eboom" && \\',
      '  rm -rf ./build\u2066',
      '```',
    ].join('\n');

    it('flags each character with its line and column, on the command too', () => {
      const r = parsePrp(text, 'PRPs/h.md');
      assert.ok(r.value);
      assert.deepEqual(
        r.problems.map((p) => [p.line, p.column, p.rule, p.severity]),
        [
          [8, 13, 'hidden-unicode', 'error'],
          [9, 7, 'hidden-unicode', 'error'],
          [10, 17, 'hidden-unicode', 'error'],
        ],
      );
      assert.match(r.problems[1]!.message, /U\+202E RIGHT-TO-LEFT OVERRIDE in gate command of Level 1/);
      const cmds = r.value.validationLevels[0]!.commands;
      assert.deepEqual(
        cmds.map((c) => c.hidden.map((h) => [h.line, h.column, h.codePoint])),
        [
          [[8, 13, 0x200b]],
          [
            [9, 7, 0x202e],
            [10, 17, 0x2066],
          ],
        ],
      );
    });
  });
});
