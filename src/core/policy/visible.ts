/**
 * Text shown to a human who has to approve it: every invisible or control character is replaced by a visible
 * marker, so what is approved is what runs (Trojan Source, `\r` overwriting a terminal line, ANSI escapes).
 */
import { describeCodePoint, findHiddenChars } from '../text';

/** Control characters other than tab and newline (C0, DEL, C1). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export interface InvisibleChar {
  offset: number;
  codePoint: number;
  name: string;
}

/** Hidden Unicode (bidi controls, zero-width, tags…), look-alike spaces and control characters, in order. */
export function findInvisible(text: string): InvisibleChar[] {
  const found: InvisibleChar[] = findHiddenChars(text).map((h) => ({ ...h }));
  // A BOM is fine at the start of a file, never inside a command or a path.
  if (text.charCodeAt(0) === 0xfeff) found.unshift({ offset: 0, codePoint: 0xfeff, name: 'ZERO WIDTH NO-BREAK SPACE' });
  for (const m of text.matchAll(CONTROL)) {
    const cp = m[0].codePointAt(0)!;
    found.push({ offset: m.index!, codePoint: cp, name: controlName(cp) });
  }
  for (const m of text.matchAll(UNUSUAL_SPACE)) {
    const cp = m[0].codePointAt(0)!;
    found.push({ offset: m.index!, codePoint: cp, name: cp === 0xa0 ? 'NO-BREAK SPACE' : 'UNUSUAL SPACE' });
  }
  return found.sort((a, b) => a.offset - b.offset);
}

/** Spaces that look like an ordinary space (or nothing) but are not word separators for the shell. */
const UNUSUAL_SPACE = /[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/g;

function controlName(cp: number): string {
  const names: Record<number, string> = {
    0: 'NUL',
    8: 'BACKSPACE',
    13: 'CARRIAGE RETURN',
    27: 'ESCAPE',
    127: 'DELETE',
  };
  return names[cp] ?? 'CONTROL CHARACTER';
}

/** `text` with every invisible character shown as `⟨U+202E RIGHT-TO-LEFT OVERRIDE⟩`. */
export function makeVisible(text: string): string {
  const found = findInvisible(text);
  if (found.length === 0) return text;
  let out = '';
  let last = 0;
  for (const c of found) {
    out += text.slice(last, c.offset);
    out += `⟨${describeCodePoint(c.codePoint)} ${c.name}⟩`;
    last = c.offset + (c.codePoint > 0xffff ? 2 : 1);
  }
  return out + text.slice(last);
}

/** A one-line description of the invisible characters in `text`, or `undefined` when there are none. */
export function describeInvisible(text: string): string | undefined {
  const found = findInvisible(text);
  if (found.length === 0) return undefined;
  const first = found[0]!;
  const more = found.length > 1 ? ` and ${found.length - 1} more` : '';
  return `${describeCodePoint(first.codePoint)} ${first.name} at character ${first.offset + 1}${more}`;
}
