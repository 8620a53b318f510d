/** The text of a document with fast position lookups and node-to-source helpers for the extractors. */
import type { Code, Nodes } from 'mdast';
import { LineIndex } from '../text';

export class Source {
  readonly index: LineIndex;
  private lineStarts: number[] | undefined;

  constructor(readonly text: string) {
    this.index = new LineIndex(text);
  }

  positionAt(offset: number): { line: number; column: number } {
    return this.index.positionAt(offset);
  }

  /** The text of 1-based line `line`, without its terminator. */
  line(line: number): string {
    if (!this.lineStarts) {
      this.lineStarts = [0];
      for (let i = 0; i < this.text.length; i++) if (this.text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    }
    const start = this.lineStarts[line - 1];
    if (start === undefined) return '';
    const next = this.lineStarts[line];
    let end = next === undefined ? this.text.length : next - 1;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return this.text.slice(start, end);
  }

  /** The source text of a node. */
  slice(node: Nodes): string {
    const p = node.position;
    return p ? this.text.slice(p.start.offset ?? 0, p.end.offset ?? 0) : '';
  }

  /**
   * Maps a position inside a fenced code block's `value` to the file: `valueLine` is 0-based within the value,
   * `valueColumn` 0-based within that value line. Handles fences indented inside list items.
   */
  codePosition(node: Code, valueLine: number, valueColumn: number): { line: number; column: number } {
    const line = (node.position?.start.line ?? 1) + 1 + valueLine;
    const valueText = node.value.split('\n')[valueLine] ?? '';
    const sourceText = this.line(line);
    const prefix = Math.max(0, sourceText.length - valueText.length);
    return { line, column: prefix + valueColumn + 1 };
  }
}

/** The plain text of an inline tree (text, inline code, link text…), without recursion. */
export function plainText(node: Nodes): string {
  const out: string[] = [];
  const stack: Nodes[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'text' || n.type === 'inlineCode') out.push(n.value);
    else if (n.type === 'break') out.push(' ');
    if ('children' in n) {
      const kids = n.children as Nodes[];
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
    }
  }
  return out.join('').replace(/\s+/g, ' ').trim();
}
