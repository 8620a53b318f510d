/**
 * Where something is in a user's file: 1-based line and column (UTF-16 code units, as editors count),
 * with `file` relative to the project root and `/`-separated — the same convention as `Problem`.
 */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/** A path to a value inside a parsed document: object keys and array indexes, e.g. `['workflows','build','steps',2]`. */
export type ValuePath = ReadonlyArray<string | number>;

/** Formats a value path the way messages show it: `workflows.build.steps[2].retry`. */
export function formatValuePath(path: ValuePath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out || '(root)';
}
