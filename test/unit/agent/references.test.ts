import * as assert from 'node:assert/strict';
import { extractReferences, looksLikePath } from '../../../src/core/agent/context/references';

describe('extractReferences: what context documents point at', () => {
  it('reads file:/docfile:/url: entries of YAML blocks with positions', () => {
    const md = [
      '# PRP',
      '',
      '```yaml',
      '- url: https://nodejs.org/api/test.html#assertions',
      '  why: the runner',
      '- file: src/math.js',
      '- docfile: "PRPs/ai_docs/math-notes.md"  # curated',
      '```',
    ].join('\n');
    assert.deepEqual(
      extractReferences(md).map((r) => [r.kind, r.value, r.line, r.column]),
      [
        ['url', 'https://nodejs.org/api/test.html#assertions', 4, 3],
        ['file', 'src/math.js', 6, 3],
        ['docfile', 'PRPs/ai_docs/math-notes.md', 7, 3],
      ],
    );
  });

  it('reads commands from bash fences (continuations joined, comments skipped) and backticked invocations', () => {
    const md = [
      'Run `npm run lint` first, then `pytest -q`.',
      '```bash',
      '# Level 1',
      '$ npm test',
      'npx tsc \\',
      '  --noEmit',
      '```',
    ].join('\n');
    assert.deepEqual(
      extractReferences(md).map((r) => [r.kind, r.value, r.line]),
      [
        ['command', 'npm run lint', 1],
        ['command', 'pytest -q', 1],
        ['command', 'npm test', 4],
        ['command', 'npx tsc --noEmit', 5],
      ],
    );
  });

  it('reads backticked paths and relative links, not prose, placeholders, URLs or member access', () => {
    const md =
      'See `src/core/agent/`, `CLAUDE.md`, `foo.bar`, `[path/to/file]`, `path with space`, `~/.ssh/id_rsa`, ' +
      '`v1.2.3`, [guide](docs/guide.md#intro), [site](https://example.com) and [up](../README.md).';
    assert.deepEqual(
      extractReferences(md).map((r) => [r.kind, r.value]),
      [
        ['path', 'src/core/agent/'],
        ['path', 'CLAUDE.md'],
        ['link', 'docs/guide.md'],
        ['link', '../README.md'],
      ],
    );
  });

  it('looksLikePath is conservative', () => {
    for (const yes of ['src/a.ts', 'PRPs/ai_docs/x.md', 'package.json', '.github/workflows/ci.yml']) {
      assert.equal(looksLikePath(yes), true, yes);
    }
    for (const no of ['a.b', 'npm test', 'http://x/y', '$HOME/x', '*.ts', 'C:/x', '-rf', '1.2.3', '/etc/passwd']) {
      assert.equal(looksLikePath(no), false, no);
    }
  });
});
