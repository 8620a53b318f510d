/**
 * Severity mapping, as VS Code's problem matchers do it (`Severity.fromValue`, then `E`/`W`/`I`, then
 * `hint`/`note` as info, then the matcher's default severity, then error). Two additions, both spellings
 * compilers print: `fatal`/`fatal error` are errors and clang's `remark` is info.
 */
import type { Severity } from '../problems';

export function severityFromValue(value: string | undefined, fallback: Severity = 'error'): Severity {
  if (!value) return fallback;
  switch (value.toLowerCase()) {
    case 'error':
      return 'error';
    case 'warning':
    case 'warn':
      return 'warning';
    case 'info':
      return 'info';
    case 'hint':
    case 'note':
    case 'remark':
      return 'info';
    case 'fatal':
    case 'fatal error':
      return 'error';
  }
  // Single letters are case-sensitive in VS Code (`e` is not an error).
  if (value === 'E') return 'error';
  if (value === 'W') return 'warning';
  if (value === 'I') return 'info';
  return fallback;
}
