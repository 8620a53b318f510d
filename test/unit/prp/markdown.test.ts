import * as assert from 'node:assert/strict';
import type { Nodes, Root } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { parseMarkdown, planMarkdown, walk } from '../../../src/core/prp';
import { fixture } from '../../support/fixtures';

/**
 * What the chunked parse must preserve: every leaf (text, code, inline code, html…), heading, link and list
 * item, with the same offsets as one remark parse of the whole text. (Lists themselves may be split in two at
 * a top-level item, which changes nothing a reader looks at.)
 */
function signature(root: Root): string[] {
  const out: string[] = [];
  walk(root, (n: Nodes) => {
    const p = n.position;
    const span = `${p?.start.offset}-${p?.end.offset}`;
    if (n.type === 'heading') out.push(`heading${n.depth} ${span}`);
    else if (n.type === 'link') out.push(`link ${n.url} ${span}`);
    else if (n.type === 'linkReference') out.push(`linkReference ${n.identifier} ${span}`);
    else if (n.type === 'listItem') out.push(`listItem ${n.checked} ${span}`);
    else if (n.type === 'list' || n.type === 'root') {
      // Structure only.
    } else if (!('children' in n)) out.push(`${n.type} ${'value' in n ? JSON.stringify(n.value) : ''} ${span}`);
    return undefined;
  });
  return out;
}

function direct(text: string): Root {
  return unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml']).parse(text) as Root;
}

const SYNTHETIC = [
  '---\ntitle: x\n\nbody: y\n---\n\n# After front matter\n',
  '- a\n  - b\n\n  continued\n\nparagraph\n\n- c\n- [ ] d\n- [x] e\n',
  '> quote\nlazy line\n\n> - item\n>   more\n\n# h\n',
  'See [the docs][ref] and [other].\n\n## Later\n\n[ref]: https://example.com/ref\n[other]: https://example.com/o "T"\n',
  '<details>\n<summary>s</summary>\n\n# inside details\n\n</details>\n\n<!--\n# commented\n-->\n\ntext\n',
  '```bash\n# comment\n## not a heading\n\n- not a list\n```\n\n~~~\n```\n~~~\n',
  '1. one\n2. two\n   - nested\n3. three\n\n* star\n+ plus\n',
  'Setext\n======\n\ntext\n---\n\n| a | b |\n|---|---|\n| 1 | 2 |\n',
  `${'word '.repeat(200)}\n\n${'- item\n'.repeat(300)}\n${'## h\n\npara\n\n'.repeat(50)}`,
  'a[^1]\n\n## h\n\n[^1]: the note\n',
  '\tindented code\n\n    more code\n\ntext\n',
];

describe('chunked markdown parse', () => {
  it('cuts long documents into several chunks', () => {
    assert.ok(planMarkdown(fixture('v3-webhook-retries.md')).chunks.length > 5);
  });

  /** Compares with one whole parse, with default chunks and with a chunk at every possible cut. */
  function same(text: string): void {
    const whole = signature(direct(text));
    assert.deepEqual(signature(parseMarkdown(text)), whole);
    const finest = planMarkdown(text, { minChunkLength: 0 });
    assert.deepEqual(signature(parseMarkdown(text, finest)), whole);
  }

  for (const name of ['v3-webhook-retries.md', 'v2-user-export.md', 'story-dark-mode.md', 'conditional-db.md']) {
    it(`gives the same nodes and offsets as one parse: ${name}`, () => {
      same(fixture(name));
      assert.ok(planMarkdown(fixture(name), { minChunkLength: 0 }).chunks.length > 10);
    });
  }

  SYNTHETIC.forEach((text, i) => {
    it(`gives the same nodes and offsets as one parse: synthetic #${i + 1}`, () => {
      same(text);
    });
  });

  it('cuts the synthetic documents where it may (so the comparisons above compare chunked parses)', () => {
    const counts = SYNTHETIC.map((t) => planMarkdown(t, { minChunkLength: 0 }).chunks.length);
    assert.ok(counts.filter((n) => n > 1).length >= 9, JSON.stringify(counts));
  });

  it('resolves a link reference defined in a later chunk', () => {
    const root = parseMarkdown(SYNTHETIC[3]!);
    const refs: string[] = [];
    walk(root, (n) => {
      if (n.type === 'linkReference') refs.push(n.identifier);
      return undefined;
    });
    assert.deepEqual(refs, ['ref', 'other']);
    const finest = planMarkdown(SYNTHETIC[3]!, { minChunkLength: 0 });
    assert.ok(finest.chunks.length >= 3);
    const chunked: string[] = [];
    walk(parseMarkdown(SYNTHETIC[3]!, finest), (n) => {
      if (n.type === 'linkReference') chunked.push(n.identifier);
      return undefined;
    });
    assert.deepEqual(chunked, ['ref', 'other']);
  });

  it('reports 1-based columns in UTF-16 units, tabs counting one', () => {
    const root = parseMarkdown('# t\n\n- \tx 😀 [y](z)\n');
    const link: Nodes[] = [];
    walk(root, (n) => {
      if (n.type === 'link') link.push(n);
      return undefined;
    });
    assert.deepEqual(link[0]!.position?.start, { line: 3, column: 9, offset: 13 });
  });

  it('walks 100,000 siblings and deep trees without recursion', () => {
    let count = 0;
    const deep: Nodes = { type: 'root', children: [] };
    let cursor = deep as { children: Nodes[] };
    for (let i = 0; i < 100_000; i++) {
      const next = { type: 'blockquote', children: [] } as unknown as Nodes;
      cursor.children.push(next);
      cursor = next as unknown as { children: Nodes[] };
    }
    walk(deep, () => {
      count++;
      return undefined;
    });
    assert.equal(count, 100_001);
  });
});
