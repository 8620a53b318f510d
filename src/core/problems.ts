/**
 * Problems found in a user's files: the one shape every reader, linter and gate parser reports with.
 * Lines and columns are 1-based; `file` is relative to the project root with `/` separators.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface Problem {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  severity: Severity;
  /** A stable identifier of the check, e.g. `yaml-syntax`, `prp-missing-section`. */
  rule: string;
  message: string;
}

/** Thrown (or returned) when input files are invalid; the CLI maps it to exit code 2. */
export class InputError extends Error {
  readonly problems: Problem[];
  constructor(problems: Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'InputError';
    this.problems = problems;
  }
}

export function problem(
  file: string,
  line: number,
  column: number,
  rule: string,
  message: string,
  severity: Severity = 'error',
): Problem {
  return { file, line: Math.max(1, line), column: Math.max(1, column), severity, rule, message };
}

/** `path:line:column: error: message` — the compiler-style line editors and CI logs understand. */
export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.severity}: ${p.message}`;
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

/** The result every reader returns: a value (possibly partial) and what was wrong, never a stack trace. */
export interface ReadResult<T> {
  value: T | undefined;
  problems: Problem[];
}

export function ok<T>(value: T, problems: Problem[] = []): ReadResult<T> {
  return { value, problems };
}

export function failed<T>(problems: Problem[]): ReadResult<T> {
  return { value: undefined, problems };
}
