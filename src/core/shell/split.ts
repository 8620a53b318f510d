/**
 * Splits argument text into words the way a shell would, without expanding anything: quotes group
 * and are removed (`'…'` literal; `"…"` with `\"` and `\\` escapes; bash `$'…'` ANSI-C quotes),
 * a backslash outside quotes makes the next character literal, and whitespace separates words.
 * `$VAR`, `$(…)`, backticks, globs, `;`, `|` and `#` are ordinary characters here.
 * Uses `shlex.split` (a port of Python's shlex in POSIX mode).
 */
import { split } from 'shlex';

export type SplitResult = { ok: true; words: string[] } | { ok: false; words: string[]; message: string };

/**
 * Words of `text`. With an unterminated quote or a trailing backslash the text cannot be split the
 * shell way: the result is then `ok: false` with a message and, as a fallback, the text split on
 * whitespace with every character kept.
 */
export function splitArguments(text: string): SplitResult {
  try {
    return { ok: true, words: split(text) };
  } catch (err) {
    const reason =
      err instanceof Error && /escape/i.test(err.message) ? 'ends with a lone backslash' : 'has an unterminated quote';
    return {
      ok: false,
      words: text.split(/[ \t\r\n]+/).filter(Boolean),
      message: `the argument text ${reason}; close the quote (or escape it with \\) so the arguments can be split`,
    };
  }
}
