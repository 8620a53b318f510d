/**
 * The diagnostic a gate's output parses into: the shape `validate --json` prints and the extension turns into
 * VS Code problems.
 *
 * - `file` is relative to the project root with `/` separators. A file outside the root (a system header, a
 *   library in another checkout) keeps its absolute path: an absolute `file` *is* the "outside" flag, see
 *   `isOutsideProject`. Project-scoped views (GitHub annotations, the Problems panel, retry prompts) use
 *   `projectDiagnostics` and drop those; `validate --json` keeps them so no evidence is lost.
 * - Lines and columns are 1-based; `endColumn` is exclusive (the column after the last character), as in
 *   VS Code markers and SARIF regions. A problem reported for a whole line spans column 1 to
 *   `WHOLE_LINE_END_COLUMN`; a problem reported at a column without an end is zero-width
 *   (`endColumn === column`).
 */
import type { Severity } from '../problems';

export type { Severity } from '../problems';

export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  /** The tool's rule or error code (`TS2322`, `no-unused-vars`, `E0308`, `F401`), when it printed one. */
  code?: string;
  message: string;
  /** Which tool reported it (`ts`, `eslint`, `rustc`, `pytest`…): the matcher's `source`. */
  source: string;
}

/** End column of a problem that covers its whole line (VS Code uses the largest number it has). */
export const WHOLE_LINE_END_COLUMN = 2 ** 31 - 1;

export function isWholeLine(d: Pick<Diagnostic, 'column' | 'endColumn'>): boolean {
  return d.column === 1 && d.endColumn === WHOLE_LINE_END_COLUMN;
}

/** True when `file` is absolute: the problem is in a file outside the project root. */
export function isOutsideProject(d: Pick<Diagnostic, 'file'>): boolean {
  return isAbsolutePath(d.file);
}

/** The diagnostics about files inside the project (for annotations, the Problems panel, retry prompts). */
export function projectDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => !isOutsideProject(d));
}

/** POSIX absolute, Windows drive (`C:/`, `C:\`) or UNC (`//server`, `\\server`). */
export function isAbsolutePath(p: string): boolean {
  const c = p.charCodeAt(0);
  if (c === 47 /* / */ || c === 92 /* \ */) return true;
  return p.length >= 3 && p.charCodeAt(1) === 58 /* : */ && isDriveLetter(c) && (p[2] === '/' || p[2] === '\\');
}

function isDriveLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Identity of a diagnostic for de-duplication: everything but the source. */
export function diagnosticKey(d: Diagnostic): string {
  return `${d.file}\u0000${d.line}\u0000${d.column}\u0000${d.endLine}\u0000${d.endColumn}\u0000${d.severity}\u0000${d.code ?? ''}\u0000${d.message}`;
}

/** Orders by file, then position, then severity (errors first). Stable for equal keys. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity];
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** `file:line:column: severity: message [code]` — compiler style, for logs and retry prompts. */
export function formatDiagnostic(d: Diagnostic): string {
  const code = d.code ? ` [${d.code}]` : '';
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}${code}`;
}
