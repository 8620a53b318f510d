/** Positioned problems for invisible characters (bidi controls, zero-width, tag characters) in user text. */
import { type Problem, problem, type Severity } from './problems';
import { describeCodePoint, findHiddenChars, LineIndex } from './text';

export interface HiddenCharOptions {
  severity: Severity;
  /** What the text is, for the message: e.g. `this run: command`. */
  where: string;
  /** Overrides `severity`/`where` per character (e.g. errors inside scripts, warnings elsewhere). */
  classify?: (offset: number) => { severity: Severity; where: string } | undefined;
  /** Only report characters whose offset is in `[start, end)`. */
  start?: number;
  end?: number;
  /** Line index of the whole text, when the caller has one. */
  lines?: LineIndex;
  /** Added to the line numbers (when `text` starts below line 1 of its file). */
  lineOffset?: number;
}

export function hiddenCharProblems(text: string, file: string, options: HiddenCharOptions): Problem[] {
  const lines = options.lines ?? new LineIndex(text);
  const out: Problem[] = [];
  for (const h of findHiddenChars(text)) {
    if (options.start !== undefined && h.offset < options.start) continue;
    if (options.end !== undefined && h.offset >= options.end) continue;
    const pos = lines.positionAt(h.offset);
    const { severity, where } = options.classify?.(h.offset) ?? options;
    out.push(
      problem(
        file,
        pos.line + (options.lineOffset ?? 0),
        pos.column,
        'hidden-unicode',
        `invisible character ${describeCodePoint(h.codePoint)} ${h.name} in ${where}: it can make the text read differently from what runs; delete it`,
        severity,
      ),
    );
  }
  return out;
}
