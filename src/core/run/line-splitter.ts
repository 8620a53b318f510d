/**
 * Turns a byte stream (a child's stdout or stderr, read in arbitrary chunks) into lines.
 *
 * - UTF-8 is decoded across chunk boundaries: a multi-byte character split between two reads arrives whole.
 *   Invalid bytes become U+FFFD rather than an error (a tool's output is evidence, not input we reject).
 * - `\n` ends a line; a `\r` right before it is dropped (`\r\n`), also when the two arrive in different chunks.
 *   A lone `\r` (progress bars) stays in the text.
 * - A final line with no terminator is delivered by `end()`.
 * - A line longer than `maxChars` is delivered in pieces of at most `maxChars` UTF-16 code units; every piece
 *   but the last has `continues: true` (no line break follows it in the output), so a log writer can rebuild
 *   the exact text. A surrogate pair is never split. This bounds memory for output with no newlines at all.
 */
export const MAX_LINE_CHARS = 64 * 1024;

export type LineSink = (text: string, continues: boolean) => void;

export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  private pending = '';
  private ended = false;

  constructor(
    private readonly sink: LineSink,
    private readonly maxChars: number = MAX_LINE_CHARS,
  ) {
    if (!Number.isInteger(maxChars) || maxChars < 2) throw new RangeError('maxChars must be an integer >= 2');
  }

  /** Feeds one chunk; complete lines are delivered synchronously. */
  push(chunk: Uint8Array): void {
    if (this.ended) throw new Error('LineSplitter: push after end');
    this.feed(this.decoder.decode(chunk, { stream: true }));
  }

  /** Flushes the decoder and delivers a final unterminated line, if any. Idempotent. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.feed(this.decoder.decode());
    if (this.pending.length > 0) {
      const text = this.pending.endsWith('\r') ? this.pending.slice(0, -1) : this.pending;
      this.pending = '';
      this.sink(text, false);
    }
  }

  private feed(text: string): void {
    if (text.length === 0) return;
    let data = this.pending + text;
    let start = 0;
    for (;;) {
      const nl = data.indexOf('\n', start);
      if (nl === -1) break;
      let lineEnd = nl;
      if (lineEnd > start && data.charCodeAt(lineEnd - 1) === 0x0d) lineEnd--;
      this.deliver(data.slice(start, lineEnd));
      start = nl + 1;
    }
    data = data.slice(start);
    // Cap the unterminated remainder. Keep one spare code unit so a trailing `\r` of a `\r\n` split across
    // chunks is still recognised, and never cut between the halves of a surrogate pair.
    while (data.length > this.maxChars) {
      let cut = this.maxChars;
      if (isHighSurrogate(data.charCodeAt(cut - 1))) cut--;
      this.sink(data.slice(0, cut), true);
      data = data.slice(cut);
    }
    this.pending = data;
  }

  private deliver(line: string): void {
    let rest = line;
    while (rest.length > this.maxChars) {
      let cut = this.maxChars;
      if (isHighSurrogate(rest.charCodeAt(cut - 1))) cut--;
      this.sink(rest.slice(0, cut), true);
      rest = rest.slice(cut);
    }
    this.sink(rest, false);
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
