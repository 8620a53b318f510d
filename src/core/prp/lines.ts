/**
 * A line-level view of a markdown document that needs no markdown parser: where the lines are, and which of
 * them are *raw* — inside front matter, a fenced code block opened at column 0, or an HTML block (a comment,
 * `<pre>`, `<details>`, `<div>`…) opened at column 0. Conditional directives, the hostile-input pre-scan and the chunked parser all use
 * it, so `## IF` inside a code sample is never a directive and a chunk never starts inside a fence.
 *
 * Only column-0 constructs are tracked: those are exactly the ones no container (list item, block quote) can
 * own, so "raw" here is never a guess about nesting.
 */

export interface LineInfo {
  /** 0-based line number. */
  index: number;
  /** Offset of the first character. */
  start: number;
  /** Offset of the line terminator (or the end of the text). */
  end: number;
  /** Front matter, a column-0 fenced code block (fence lines included) or a column-0 raw HTML block. */
  raw: boolean;
  /** Only spaces and tabs. */
  blank: boolean;
}

const FENCE_OPEN = /^(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;
/** CommonMark HTML blocks of kind 6: they run to the next blank line. */
const HTML_BLOCK_TAG =
  /^<\/?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul)(?:[ \t>]|\/>|$)/i;
const RAW_HTML: ReadonlyArray<[RegExp, RegExp]> = [
  [/^<!--/, /-->/],
  [/^<(?:script|pre|style|textarea)(?:\s|>|$)/i, /<\/(?:script|pre|style|textarea)>/i],
  [/^<\?/, /\?>/],
  [/^<![A-Za-z]/, />/],
  [/^<!\[CDATA\[/, /\]\]>/],
];

export function lineText(text: string, line: LineInfo): string {
  return text.slice(line.start, line.end);
}

export function scanLines(text: string): LineInfo[] {
  const lines: LineInfo[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const stop = nl === -1 ? text.length : nl;
    const end = stop > start && text.charCodeAt(stop - 1) === 13 ? stop - 1 : stop;
    lines.push({ index: lines.length, start, end, raw: false, blank: isBlank(text, start, end) });
    if (nl === -1) break;
    start = nl + 1;
  }

  let i = 0;
  // Front matter: `---` on the first line up to the next `---` (what remark-frontmatter accepts).
  if (lines.length > 1 && lineText(text, lines[0]!) === '---') {
    const close = lines.findIndex((l, k) => k > 0 && lineText(text, l) === '---');
    if (close > 0) {
      for (let k = 0; k <= close; k++) lines[k]!.raw = true;
      i = close + 1;
    }
  }

  while (i < lines.length) {
    const line = lines[i]!;
    const t = lineText(text, line);
    const fence = FENCE_OPEN.exec(t);
    if (fence && !(fence[1]![0] === '`' && fence[2]!.includes('`'))) {
      const char = fence[1]![0]!;
      const size = fence[1]!.length;
      line.raw = true;
      let k = i + 1;
      for (; k < lines.length; k++) {
        lines[k]!.raw = true;
        const close = FENCE_CLOSE.exec(lineText(text, lines[k]!));
        if (close && close[1]![0] === char && close[1]!.length >= size) break;
      }
      i = k + 1;
      continue;
    }
    if (HTML_BLOCK_TAG.test(t)) {
      let k = i;
      for (; k < lines.length && !lines[k]!.blank; k++) lines[k]!.raw = true;
      i = k;
      continue;
    }
    const html = RAW_HTML.find(([open]) => open.test(t));
    if (html) {
      let k = i;
      for (; k < lines.length; k++) {
        lines[k]!.raw = true;
        const body = lineText(text, lines[k]!);
        // The end marker may sit on the opening line, after the opener itself.
        if (html[1].test(k === i ? body.slice(1) : body)) break;
      }
      i = k + 1;
      continue;
    }
    i++;
  }
  return lines;
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}
