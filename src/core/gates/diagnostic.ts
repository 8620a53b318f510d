/** A problem a tool reported, parsed from its output by a problem matcher. Lines and columns are 1-based. */
export interface Diagnostic {
  /** Relative to the project root with `/` separators (absolute when outside the project). */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning' | 'info';
  code?: string;
  message: string;
  /** The tool that reported it (`tsc`, `eslint`, `pytest`…). */
  source: string;
}
