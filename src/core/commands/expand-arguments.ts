/**
 * Expansion of a slash command body with the text typed after the command — one pass, literal.
 *
 * - `$ARGUMENTS` → the whole argument text, exactly as typed (quotes included).
 * - `$1` … `$9` → the arguments split the shell way (`splitArguments`: quotes group and are removed,
 *   nothing is expanded). A positional that was not given becomes the empty string.
 * - A placeholder is recognised only when it is not followed by a word character: `$10` is `$1`
 *   followed by a digit and is **left as typed** (as is `$ARGUMENTS_X`), `$0` is left as typed,
 *   and there is no escape syntax (nothing else in the body changes).
 * - **One pass**: every placeholder is replaced by scanning the body once; the inserted text is never
 *   scanned again, so an argument containing `$1`, `$100`, `$ARGUMENTS`, `$(id)`, backticks, quotes or
 *   newlines ends up in the output exactly as typed.
 *
 * The result is prompt text for a model. It is **not** shell-safe: where a value must reach a shell,
 * quote it with `shellQuote` or, better, pass it as argv or an environment variable.
 */
import { splitArguments } from '../shell/split';

export interface ArgumentExpansion {
  text: string;
  /** The positional arguments used for `$1`…`$9` (all of them, even past the ninth). */
  positionals: string[];
  /** Set when the argument text could not be split the shell way (an unterminated quote): positionals are whitespace-split. */
  warning?: string;
}

const PLACEHOLDER = /\$(?:ARGUMENTS|([1-9]))(?![A-Za-z0-9_])/g;

/** True when `body` contains `$ARGUMENTS` or `$1`…`$9` placeholders. */
export function usesArguments(body: string): boolean {
  PLACEHOLDER.lastIndex = 0;
  const found = PLACEHOLDER.test(body);
  PLACEHOLDER.lastIndex = 0;
  return found;
}

/**
 * Expands `body` with `argsText`. `positionals` may be given when the caller already has the words
 * (a workflow step splits its template before substituting variables); otherwise `argsText` is split.
 */
export function expandArguments(body: string, argsText: string, positionals?: readonly string[]): ArgumentExpansion {
  let words: string[];
  let warning: string | undefined;
  if (positionals) words = [...positionals];
  else {
    const split = splitArguments(argsText);
    words = split.words;
    if (!split.ok) warning = split.message;
  }
  const text = body.replace(PLACEHOLDER, (_match, digit: string | undefined) =>
    digit === undefined ? argsText : (words[Number(digit) - 1] ?? ''),
  );
  return warning === undefined ? { text, positionals: words } : { text, positionals: words, warning };
}
