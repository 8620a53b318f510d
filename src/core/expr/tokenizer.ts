/** Splits a condition expression into tokens; every failure is an error with the column it happened at. */
import { type ExprError, type ExprResult, exprError } from './ast';

export type Punctuator = '===' | '!==' | '==' | '!=' | '&&' | '||' | '!' | '(' | ')' | '.' | '[' | ']';

export type Token =
  | { kind: 'identifier'; name: string; start: number; end: number }
  | { kind: 'string'; value: string; start: number; end: number }
  | { kind: 'number'; value: number; start: number; end: number }
  | { kind: 'keyword'; keyword: 'true' | 'false' | 'null' | 'in'; start: number; end: number }
  | { kind: 'punct'; punct: Punctuator; start: number; end: number }
  | { kind: 'eof'; start: number; end: number };

/** Longer expressions are refused outright: conditions are one line of facts, not programs. */
export const MAX_EXPRESSION_LENGTH = 4096;

const KEYWORDS = new Set(['true', 'false', 'null', 'in']);
const PUNCTUATORS: readonly Punctuator[] = ['===', '!==', '==', '!=', '&&', '||', '!', '(', ')', '.', '[', ']'];

const isIdentStart = (c: string): boolean => /[A-Za-z_$]/.test(c);
const isIdentPart = (c: string): boolean => /[\w$]/.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

export function tokenize(text: string): ExprResult<Token[]> {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    return fail(
      exprError(
        'too-long',
        `expression is ${text.length} characters long, over the ${MAX_EXPRESSION_LENGTH}-character limit`,
        MAX_EXPRESSION_LENGTH,
      ),
    );
  }
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    const start = i;
    if (isIdentStart(c)) {
      while (i < text.length && isIdentPart(text[i]!)) i++;
      const word = text.slice(start, i);
      if (KEYWORDS.has(word)) {
        tokens.push({ kind: 'keyword', keyword: word as 'true' | 'false' | 'null' | 'in', start, end: i });
      } else {
        tokens.push({ kind: 'identifier', name: word, start, end: i });
      }
      continue;
    }
    if (isDigit(c)) {
      const m = /^(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i));
      const raw = m?.[0] ?? c;
      i += raw.length;
      if (i < text.length && (isIdentPart(text[i]!) || text[i] === '.')) {
        return fail(exprError('syntax', `invalid number "${text.slice(start, i + 1)}"`, start, i + 1));
      }
      tokens.push({ kind: 'number', value: Number(raw), start, end: i });
      continue;
    }
    if (c === "'" || c === '"') {
      const str = readString(text, i);
      if (!str.ok) return str;
      tokens.push({ kind: 'string', value: str.value.value, start, end: str.value.end });
      i = str.value.end;
      continue;
    }
    const punct = PUNCTUATORS.find((p) => text.startsWith(p, i));
    if (punct) {
      tokens.push({ kind: 'punct', punct, start, end: i + punct.length });
      i += punct.length;
      continue;
    }
    return fail(exprError('syntax', unexpectedCharacter(text, i), i, i + 1));
  }
  tokens.push({ kind: 'eof', start: text.length, end: text.length });
  return { ok: true, value: tokens };
}

function unexpectedCharacter(text: string, i: number): string {
  const c = text[i]!;
  if (c === '=') return 'unexpected "=": compare with === (or ==), there is no assignment';
  if (c === '&') return 'unexpected "&": use && for "and"';
  if (c === '|') return 'unexpected "|": use || for "or"';
  if (c === '<' || c === '>') return `unexpected "${c}": only === !== == != && || ! and in are supported`;
  const cp = text.codePointAt(i)!;
  const shown = cp < 0x20 || cp > 0x7e ? `U+${cp.toString(16).toUpperCase().padStart(4, '0')}` : `"${c}"`;
  return `unexpected character ${shown}`;
}

const ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  n: '\n',
  r: '\r',
  t: '\t',
  '0': '\0',
};

function readString(text: string, open: number): ExprResult<{ value: string; end: number }> {
  const quote = text[open]!;
  let out = '';
  let i = open + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === quote) return { ok: true, value: { value: out, end: i + 1 } };
    if (c === '\n' || c === '\r') break;
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === undefined) break;
    if (next in ESCAPES) {
      out += ESCAPES[next];
      i += 2;
      continue;
    }
    if (next === 'u') {
      const braced = /^\{([0-9a-fA-F]{1,6})\}/.exec(text.slice(i + 2));
      const plain = /^[0-9a-fA-F]{4}/.exec(text.slice(i + 2));
      const hex = braced?.[1] ?? plain?.[0];
      const cp = hex === undefined ? Number.NaN : Number.parseInt(hex, 16);
      if (hex === undefined || cp > 0x10ffff) {
        return fail(exprError('syntax', 'invalid \\u escape: use \\uXXXX or \\u{X…}', i, i + 2));
      }
      out += String.fromCodePoint(cp);
      i += 2 + (braced ? braced[0].length : 4);
      continue;
    }
    return fail(exprError('syntax', `unknown escape "\\${next}" in string`, i, i + 2));
  }
  return fail(exprError('syntax', `unterminated string: add the closing ${quote}`, open, text.length));
}

function fail<T>(error: ExprError): ExprResult<T> {
  return { ok: false, error };
}
