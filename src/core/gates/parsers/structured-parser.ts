/**
 * Structured parsers: shipped code for tool output that a line regex cannot read well (rustc's JSON lines,
 * pytest's failure sections, jest's and vitest's failure blocks). A parser sees every line (ANSI already
 * stripped) and reports problems and failing tests to its sink.
 */
import type { RawProblem } from '../line-matchers';

export interface RawFailedTest {
  /** The id a test runner accepts to re-run this test (pytest node id, jest/vitest full name, go test name…). */
  id: string;
  /** The file as printed. */
  file?: string;
  line?: number;
  message?: string;
  /** Absolute directory to resolve a relative `file` against. */
  base?: string;
}

export interface ParserSink {
  problem(p: RawProblem): void;
  failedTest(t: RawFailedTest): void;
  /**
   * Marks the current line as read by this parser, so that generic patterns tried after it (in the fallback
   * that tries every matcher) do not also report it.
   */
  claim(): void;
  /** Whether a printed path names project code: inside the root, not under node_modules, site-packages or a venv. */
  isProjectCode(printed: string, base?: string): boolean;
}

export interface StructuredParser {
  /** Sees lines longer than the session's `maxLineLength` too (a JSON parser: linear, and JSON lines are long). */
  readonly acceptsLongLines?: boolean;
  push(line: string): void;
  /** The output ended: report what is still pending. */
  end(): void;
}

/** At most this many message lines are kept from a failure block. */
export const MAX_MESSAGE_LINES = 6;

export function joinMessage(title: string | undefined, lines: readonly string[]): string {
  const body = lines.slice(0, MAX_MESSAGE_LINES).join('\n');
  const more = lines.length > MAX_MESSAGE_LINES ? '\n…' : '';
  if (!title) return body + more;
  return body ? `${title}: ${body}${more}` : title;
}
