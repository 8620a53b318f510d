/**
 * POSIX shell quoting for any place a value must reach a shell as one word. Prefer not to need it:
 * pass values as argv or environment variables (see the workflow binding of `run:` steps).
 *
 * Uses `shlex.quote` (a port of Python's `shlex.quote`): the empty string becomes `''`; a value made
 * only of `[A-Za-z0-9_@%+=:,./-]` is left as is (it means the same quoted or not, in argument
 * position); anything else is wrapped in single quotes, and each run of `'` inside is written
 * as `'"'''"'`-style concatenation. Single quotes make every other character literal in POSIX sh —
 * `$`, backticks, `\`, `!`, `*`, newlines — so the result is one word that expands to exactly
 * the value. The NUL character cannot be part of any shell word or argv string, so it is refused.
 */
import { quote } from 'shlex';

export class UnquotableValueError extends Error {
  constructor(readonly offset: number) {
    super(`value contains a NUL character (at offset ${offset}), which no shell word can hold`);
    this.name = 'UnquotableValueError';
  }
}

/** Shell-quotes `value` for `/bin/sh`. Throws `UnquotableValueError` for a value containing NUL. */
export function shellQuote(value: string): string {
  const nul = value.indexOf('\0');
  if (nul >= 0) throw new UnquotableValueError(nul);
  return quote(value);
}

/** Shell-quotes each value and joins them with spaces. */
export function shellJoin(values: readonly string[]): string {
  return values.map(shellQuote).join(' ');
}
