/**
 * JSON Lines: one JSON value per line, each line ended by `\n`. The journal's on-disk format.
 *
 * Reading tolerates what a crash leaves behind: the writer appends `value + "\n"` in one write, so a line
 * without its `\n` at the end of the file was never acknowledged — it is a **torn tail**, ignored and reported,
 * never fatal (even when its text happens to parse). A line in the middle that is not valid JSON (or that the
 * caller's `parse` rejects) is skipped and reported with its 1-based line number. Blank lines are skipped.
 */
import { type Problem, problem } from '../problems';

export interface JsonlReadResult<T> {
  /** The values of every intact line, in file order. */
  values: T[];
  /** The unterminated last line, when there is one: its line number and length in UTF-16 code units. */
  tornTail?: { line: number; chars: number };
  /** One warning for a torn tail; one error per corrupt or rejected line. */
  problems: Problem[];
}

export interface JsonlReadOptions<T> {
  /** Path reported in problems (project-relative). Default `events.jsonl`. */
  file?: string;
  /** Checks or converts each parsed value (e.g. a zod schema's `parse`); throwing rejects that line. */
  parse?: (value: unknown, line: number) => T;
}

export function readJsonl<T = unknown>(text: string, options: JsonlReadOptions<T> = {}): JsonlReadResult<T> {
  const file = options.file ?? 'events.jsonl';
  const values: T[] = [];
  const problems: Problem[] = [];
  let tornTail: JsonlReadResult<T>['tornTail'];
  let start = 0;
  let line = 0;
  while (start < text.length) {
    line++;
    const nl = text.indexOf('\n', start);
    if (nl === -1) {
      tornTail = { line, chars: text.length - start };
      problems.push(
        problem(
          file,
          line,
          1,
          'jsonl-torn-tail',
          `line ${line} is incomplete (no line end; ${tornTail.chars} characters), probably cut off by a crash; it was ignored`,
          'warning',
        ),
      );
      break;
    }
    const raw = text.slice(start, nl);
    start = nl + 1;
    if (raw.trim().length === 0) continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      problems.push(
        problem(
          file,
          line,
          1,
          'jsonl-corrupt-line',
          `line ${line} is not valid JSON (${(err as Error).message}); it was skipped`,
        ),
      );
      continue;
    }
    if (options.parse) {
      try {
        values.push(options.parse(value, line));
      } catch (err) {
        problems.push(
          problem(file, line, 1, 'jsonl-invalid-value', `line ${line} was rejected: ${(err as Error).message}`),
        );
      }
    } else {
      values.push(value as T);
    }
  }
  return tornTail ? { values, tornTail, problems } : { values, problems };
}

/**
 * One value as one JSONL line (with its `\n`). Throws a TypeError for what JSON cannot represent faithfully as a
 * line: `undefined`, functions, symbols (top level), BigInt, cycles.
 */
export function toJsonlLine(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`cannot write ${typeof value} as a JSON line`);
  // JSON.stringify never emits a raw line feed (it escapes control characters in strings), so one value is one line.
  return `${json}\n`;
}
