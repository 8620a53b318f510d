/**
 * Markdown parsing that stays fast and finite on hostile input.
 *
 * remark (micromark) is not linear on every input: deep nesting overflows the stack (`"* ".repeat(8000)+"a"`),
 * runs of delimiters (`*`, `_`, `~`, `[`, backticks) inside one paragraph are quadratic, and closing nested
 * containers re-splices the whole event list, so a long document with many nested lists is quadratic too.
 * So, before remark sees anything:
 *
 * 1. {@link prescanMarkdown} refuses nesting deeper than {@link MARKDOWN_LIMITS.maxNesting}, more than
 *    {@link MARKDOWN_LIMITS.maxDelimiters} delimiters of one kind in one paragraph, and more than
 *    {@link MARKDOWN_LIMITS.maxNestedListLines} nested list lines without a top-level item, heading or
 *    paragraph between them — each a positioned error.
 * 2. {@link parseMarkdown} parses the document in chunks cut where no container can be open (before a column-0
 *    heading, fence or bullet item, or a column-0 paragraph after a blank line), so the quadratic part is bounded by a chunk,
 *    and maps every position back to the whole file. Link reference definitions are shared between chunks.
 *
 * Positions: `line`/`column` are 1-based and columns count UTF-16 code units (tabs are one column), the same
 * convention as {@link LineIndex}; `offset` is the 0-based index into the whole text.
 */
import type { Nodes, Parents, Root, RootContent } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { type Problem, problem } from '../problems';
import { LineIndex } from '../text';
import { type LineInfo, lineText, scanLines } from './lines';

export const RULE_MARKDOWN_TOO_COMPLEX = 'markdown-too-complex';

export const MARKDOWN_LIMITS = {
  /** Block quotes and lists nested inside each other. */
  maxNesting: 32,
  /** Of one kind of inline delimiter (`*`, `_`, `~`, `[`, `` ` ``) in one paragraph. */
  maxDelimiters: 1000,
  /**
   * Nested list lines (a list item inside another list item or a quote) in one chunk: closing nested
   * containers is what makes remark quadratic, so a chunk holds a bounded number of them.
   */
  maxNestedListLines: 500,
} as const;

export interface MarkdownChunk {
  /** Offsets into the whole text. */
  start: number;
  end: number;
}

export interface MarkdownPlan {
  lines: LineInfo[];
  chunks: MarkdownChunk[];
  /** Single-line link reference definitions (`[label]: url`), appended to every chunk. */
  definitions: string[];
}

/**
 * Chunks are at least this long (they end at the first safe cut after it): small enough to bound the quadratic
 * part, large enough that the per-parse overhead stays negligible.
 */
const MIN_CHUNK_LENGTH = 512;
const ORDERED_MARKER = /^\d{1,9}[.)](?=[ \t]|$)/;
const ATX_HEADING = /^#{1,6}(?:[ \t]|$)/;
const BULLET_ITEM = /^[-*+][ \t]+\S/;
const DEFINITION = /^ {0,3}\[(?:[^\]\\\n]|\\.){1,999}\]:[ \t]*\S/;
const DELIMITERS = new Map<number, string>([
  [42, '*'],
  [95, '_'],
  [126, '~'],
  [91, '['],
  [96, '`'],
]);

interface Prefix {
  /** `>` and list markers before the content. */
  markers: number;
  /** Whether one of the markers is a list marker. */
  list: boolean;
  /** Offset in the line of the last marker (or of the content when there is none). */
  lastMarker: number;
  /** Leading whitespace in columns (a tab counts 4). */
  indent: number;
  /** Offset in the line where the content starts. */
  contentStart: number;
  /** Offset in the line of the marker that went past `stopAfter`, if any. */
  overflowAt?: number;
  /** The content is a thematic break (`* * *`, `---`): no inline content to scan. */
  thematicBreak?: boolean;
}

/**
 * Offset from which a line holds only `c`, spaces and tabs, with at least three `c` — where a thematic break
 * made of `c` could start — or Infinity. One backward pass, so long lines cost linear time.
 */
function thematicTail(t: string, c: string): number {
  let seen = 0;
  let from = Number.POSITIVE_INFINITY;
  for (let i = t.length - 1; i >= 0; i--) {
    const ch = t[i];
    if (ch === c) {
      seen++;
      if (seen >= 3) from = i;
    } else if (ch !== ' ' && ch !== '\t') break;
  }
  return from;
}

/** The container markers a line starts with: `> > - 1. text` has four. Stops counting past `stopAfter`. */
function containerPrefix(t: string, stopAfter: number): Prefix {
  let i = 0;
  let markers = 0;
  let indent = -1;
  let list = false;
  let lastMarker = 0;
  let dashTail: number | undefined;
  let starTail: number | undefined;
  for (;;) {
    let cols = 0;
    while (i < t.length && (t[i] === ' ' || t[i] === '\t')) {
      cols += t[i] === '\t' ? 4 : 1;
      i++;
    }
    if (indent < 0) indent = cols;
    const c = t[i];
    let width = 0;
    if (c === '>') width = 1;
    else if ((c === '-' || c === '*' || c === '+') && (i + 1 === t.length || t[i + 1] === ' ' || t[i + 1] === '\t')) {
      if (c === '-') dashTail ??= thematicTail(t, '-');
      if (c === '*') starTail ??= thematicTail(t, '*');
      const tail = c === '-' ? dashTail! : c === '*' ? starTail! : Number.POSITIVE_INFINITY;
      if (i >= tail) return { markers, list, lastMarker, indent, contentStart: i, thematicBreak: true };
      width = 1;
    } else if (c !== undefined && c >= '0' && c <= '9') {
      width = ORDERED_MARKER.exec(t.slice(i, i + 11))?.[0].length ?? 0;
    } else if (c === '_' && i >= thematicTail(t, '_')) {
      return { markers, list, lastMarker, indent, contentStart: i, thematicBreak: true };
    }
    if (width === 0) break;
    if (c !== '>') list = true;
    markers++;
    lastMarker = i;
    if (markers > stopAfter) return { markers, list, lastMarker, indent, contentStart: i, overflowAt: i };
    i += width;
  }
  return { markers, list, lastMarker: markers > 0 ? lastMarker : i, indent: Math.max(indent, 0), contentStart: i };
}

function startsContainer(t: string): boolean {
  const c = t[0];
  if (c === '>') return true;
  if ((c === '-' || c === '*' || c === '+') && (t.length === 1 || t[1] === ' ' || t[1] === '\t')) {
    return thematicTail(t, c) > 0;
  }
  return ORDERED_MARKER.test(t.slice(0, 11));
}

/** Where the document can be cut into independently parsed chunks, and the definitions they share. */
export function planMarkdown(text: string, options: { minChunkLength?: number } = {}): MarkdownPlan {
  const minChunk = options.minChunkLength ?? MIN_CHUNK_LENGTH;
  const lines = scanLines(text);
  const cuts: number[] = [0];
  const definitions: string[] = [];
  for (let k = 1; k < lines.length; k++) {
    const line = lines[k]!;
    const prev = lines[k - 1]!;
    const t = lineText(text, line);
    const c = t[0];
    let cut = false;
    if (!line.raw) {
      // Each of these closes every open container and cannot continue a paragraph lazily.
      if (c === '#' && ATX_HEADING.test(t)) cut = true;
      else if ((c === '-' || c === '*' || c === '+') && BULLET_ITEM.test(t) && thematicTail(t, c) > 0) cut = true;
      else if (prev.blank && !prev.raw && c !== undefined && c !== ' ' && c !== '\t' && !startsContainer(t)) cut = true;
      if (DEFINITION.test(t)) definitions.push(t.trim());
    } else if (!prev.raw && (c === '`' || c === '~')) {
      // The opening line of a column-0 fence.
      cut = true;
    }
    if (cut && line.start - cuts[cuts.length - 1]! >= minChunk) cuts.push(line.start);
  }
  const chunks: MarkdownChunk[] = cuts.map((start, i) => ({ start, end: cuts[i + 1] ?? text.length }));
  return { lines, chunks, definitions };
}

/** Refuses input remark cannot parse in bounded time and stack. Returns positioned problems (empty when fine). */
export function prescanMarkdown(text: string, file: string, plan: MarkdownPlan = planMarkdown(text)): Problem[] {
  const counts = new Map<number, number>();
  let chunkIndex = 0;
  let nestedListLines = 0;
  for (const line of plan.lines) {
    while (chunkIndex + 1 < plan.chunks.length && plan.chunks[chunkIndex + 1]!.start <= line.start) {
      chunkIndex++;
      nestedListLines = 0;
    }
    if (line.raw || line.blank) {
      counts.clear();
      continue;
    }
    const t = lineText(text, line);
    const lineNo = line.index + 1;
    const prefix = containerPrefix(t, MARKDOWN_LIMITS.maxNesting);
    const depth = prefix.markers + (prefix.markers > 0 ? Math.floor(prefix.indent / 2) : 0);
    if (depth > MARKDOWN_LIMITS.maxNesting) {
      return [
        problem(
          file,
          lineNo,
          (prefix.overflowAt ?? prefix.lastMarker) + 1,
          RULE_MARKDOWN_TOO_COMPLEX,
          `lists and block quotes are nested more than ${MARKDOWN_LIMITS.maxNesting} deep; flatten this part of the document`,
        ),
      ];
    }
    if (prefix.list && depth >= 2 && ++nestedListLines > MARKDOWN_LIMITS.maxNestedListLines) {
      return [
        problem(
          file,
          lineNo,
          1,
          RULE_MARKDOWN_TOO_COMPLEX,
          `more than ${MARKDOWN_LIMITS.maxNestedListLines} nested list items in one block; ` +
            'break the list up with top-level items, headings or paragraphs',
        ),
      ];
    }
    if (prefix.thematicBreak) continue;
    for (let i = prefix.contentStart; i < t.length; i++) {
      const code = t.charCodeAt(i);
      if (!DELIMITERS.has(code)) continue;
      const n = (counts.get(code) ?? 0) + 1;
      counts.set(code, n);
      if (n > MARKDOWN_LIMITS.maxDelimiters) {
        return [
          problem(
            file,
            lineNo,
            i + 1,
            RULE_MARKDOWN_TOO_COMPLEX,
            `more than ${MARKDOWN_LIMITS.maxDelimiters} "${DELIMITERS.get(code)}" characters in one paragraph; ` +
              'split the paragraph or put this text in a code fence',
          ),
        ];
      }
    }
  }
  return [];
}

let processor: ReturnType<typeof createProcessor> | undefined;

function createProcessor() {
  return unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml']).freeze();
}

/**
 * Parses markdown into mdast with positions relative to the whole text. Call {@link prescanMarkdown} first:
 * this function assumes the input passed it.
 */
export function parseMarkdown(text: string, plan: MarkdownPlan = planMarkdown(text)): Root {
  processor ??= createProcessor();
  const index = new LineIndex(text);
  const shared = plan.definitions.length > 0 ? `\n\n${plan.definitions.join('\n')}\n` : '';
  const children: RootContent[] = [];
  for (const chunk of plan.chunks) {
    const body = text.slice(chunk.start, chunk.end);
    const tree = processor.parse(body + shared) as Root;
    for (const child of tree.children) {
      const at = child.position?.start.offset ?? 0;
      if (at >= body.length) continue; // one of the shared definitions
      relocate(child, chunk.start, index);
      children.push(child);
    }
  }
  const end = index.positionAt(text.length);
  return {
    type: 'root',
    children,
    position: { start: { line: 1, column: 1, offset: 0 }, end: { ...end, offset: text.length } },
  };
}

/** Rewrites positions of a subtree from chunk-relative to whole-text, iteratively. */
function relocate(node: Nodes, base: number, index: LineIndex): void {
  const stack: Nodes[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.position) {
      const s = base + (n.position.start.offset ?? 0);
      const e = base + (n.position.end.offset ?? 0);
      n.position = {
        start: { ...index.positionAt(s), offset: s },
        end: { ...index.positionAt(e), offset: e },
      };
    }
    if ('children' in n) for (const c of n.children) stack.push(c as Nodes);
  }
}

/** Pre-order traversal without recursion. Return `false` from `visit` to skip a node's children. */
export function walk(root: Nodes, visit: (node: Nodes, parent: Parents | undefined) => boolean | undefined): void {
  const stack: Array<[Nodes, Parents | undefined]> = [[root, undefined]];
  while (stack.length > 0) {
    const [node, parent] = stack.pop()!;
    if (visit(node, parent) === false) continue;
    if ('children' in node) {
      const kids = node.children as Nodes[];
      for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i]!, node as Parents]);
    }
  }
}
