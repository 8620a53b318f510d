import * as assert from 'node:assert/strict';
import { readFrontmatter, splitFrontmatter } from '../../../src/core/yaml/frontmatter';

describe('markdown frontmatter', () => {
  it('splits the YAML from the body and says where the body starts', () => {
    const s = splitFrontmatter('---\ndescription: x\n---\nBody line\n');
    assert.equal(s.yaml, 'description: x\n');
    assert.equal(s.body, 'Body line\n');
    assert.equal(s.bodyLine, 4);
    assert.equal(s.yamlLine, 2);
  });

  it('treats a file without an opening --- as all body', () => {
    const s = splitFrontmatter('# Title\n---\n');
    assert.equal(s.yaml, undefined);
    assert.equal(s.bodyLine, 1);
    assert.equal(s.body, '# Title\n---\n');
  });

  it('accepts CRLF, a BOM, `...` as the closing line, and an empty frontmatter', () => {
    const crlf = readFrontmatter('\ufeff---\r\nmodel: opus\r\n...\r\nHi', 'c.md');
    assert.deepEqual(crlf.data, { model: 'opus' });
    assert.equal(crlf.body, 'Hi');
    assert.equal(crlf.bodyLine, 4);
    const empty = readFrontmatter('---\n---\nbody', 'c.md');
    assert.deepEqual(empty.data, {});
    assert.equal(empty.body, 'body');
  });

  it('warns about an unterminated frontmatter and reads the file as body', () => {
    const r = readFrontmatter('---\ndescription: x\nno end', 'c.md');
    assert.deepEqual(r.data, {});
    assert.equal(r.problems[0]!.rule, 'frontmatter-unterminated');
    assert.equal(r.problems[0]!.severity, 'warning');
  });

  it('reports YAML problems at their line in the markdown file', () => {
    const r = readFrontmatter('---\na: 1\nb: *x\n---\n', 'c.md');
    assert.equal(r.data, undefined);
    assert.deepEqual([r.problems[0]!.rule, r.problems[0]!.line, r.problems[0]!.column], ['yaml-alias', 3, 4]);
  });

  it('requires a mapping', () => {
    const r = readFrontmatter('---\n- a\n---\n', 'c.md');
    assert.equal(r.data, undefined);
    assert.equal(r.problems[0]!.rule, 'frontmatter-not-mapping');
  });

  it('in lenient mode reads an unquoted `[a] [b]` value as text, with a warning at its line', () => {
    const text = '---\ndescription: Assign\nargument-hint: [pr-number] [priority]\n---\nBody';
    assert.equal(readFrontmatter(text, 'c.md').data, undefined);
    const r = readFrontmatter(text, 'c.md', { lenientScalars: true });
    assert.deepEqual(r.data, { description: 'Assign', 'argument-hint': '[pr-number] [priority]' });
    assert.deepEqual(
      r.problems.map((p) => [p.rule, p.line, p.severity]),
      [['frontmatter-unquoted-value', 3, 'warning']],
    );
  });

  it('does not relax refused constructs (aliases, tags) in lenient mode', () => {
    const r = readFrontmatter('---\na: &x 1\nb: [*x, *x] [y]\n---\n', 'c.md', { lenientScalars: true });
    assert.equal(r.data, undefined);
    assert.ok(r.problems.some((p) => p.severity === 'error'));
  });
});
