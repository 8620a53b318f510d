/** Decoding and scanning of user text: strict UTF-8, size caps, positions, hidden characters. */
import { type Problem, problem } from './problems';

/** Files larger than this are refused before parsing (markdown and YAML parsers are not linear on hostile input). */
export const MAX_INPUT_BYTES = 2 * 1024 * 1024;

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Decodes bytes as UTF-8. Invalid sequences and oversize files become a positioned problem
 * (the position of the first invalid byte), never a thrown exception.
 */
export function decodeUtf8(
  bytes: Uint8Array,
  file: string,
  maxBytes = MAX_INPUT_BYTES,
): { text: string; problems: Problem[] } {
  if (bytes.byteLength > maxBytes) {
    return {
      text: '',
      problems: [
        problem(
          file,
          1,
          1,
          'file-too-large',
          `file is ${bytes.byteLength} bytes, over the ${maxBytes}-byte limit; split it or remove generated content`,
        ),
      ],
    };
  }
  try {
    return { text: decoder.decode(bytes), problems: [] };
  } catch {
    const bad = firstInvalidUtf8Offset(bytes);
    const prefix = new TextDecoder('utf-8').decode(bytes.subarray(0, bad));
    const { line, column } = positionAt(prefix, prefix.length);
    return {
      text: '',
      problems: [
        problem(
          file,
          line,
          column,
          'invalid-utf8',
          `invalid UTF-8 byte 0x${(bytes[bad] ?? 0).toString(16).padStart(2, '0')}; save the file as UTF-8`,
        ),
      ],
    };
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need = 0;
    let min = 0;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    if (i + need > bytes.length - 1) return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return i;
}

/** 1-based line and column (in UTF-16 code units, as editors count) of `offset` in `text`. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** Maps offsets to positions quickly for many lookups in the same text. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  positionAt(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
  get lineCount(): number {
    return this.starts.length;
  }
}

/**
 * Characters that change how text reads without being visible: bidi controls (Trojan Source),
 * zero-width characters, Unicode tag characters, and other invisible format characters.
 */
const HIDDEN = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u00ad\ufeff\u180e]|\udb40[\udc00-\udc7f]/g;

export interface HiddenChar {
  offset: number;
  codePoint: number;
  name: string;
}

const HIDDEN_NAMES: Record<number, string> = {
  1564: 'ARABIC LETTER MARK',
  8203: 'ZERO WIDTH SPACE',
  8204: 'ZERO WIDTH NON-JOINER',
  8205: 'ZERO WIDTH JOINER',
  8206: 'LEFT-TO-RIGHT MARK',
  8207: 'RIGHT-TO-LEFT MARK',
  8234: 'LEFT-TO-RIGHT EMBEDDING',
  8235: 'RIGHT-TO-LEFT EMBEDDING',
  8236: 'POP DIRECTIONAL FORMATTING',
  8237: 'LEFT-TO-RIGHT OVERRIDE',
  8238: 'RIGHT-TO-LEFT OVERRIDE',
  8288: 'WORD JOINER',
  8294: 'LEFT-TO-RIGHT ISOLATE',
  8295: 'RIGHT-TO-LEFT ISOLATE',
  8296: 'FIRST STRONG ISOLATE',
  8297: 'POP DIRECTIONAL ISOLATE',
  173: 'SOFT HYPHEN',
  65279: 'ZERO WIDTH NO-BREAK SPACE',
  6158: 'MONGOLIAN VOWEL SEPARATOR',
};

export function findHiddenChars(text: string): HiddenChar[] {
  const found: HiddenChar[] = [];
  for (const m of text.matchAll(HIDDEN)) {
    const cp = m[0].codePointAt(0)!;
    // A BOM at the very start of a file is ordinary.
    if (cp === 0xfeff && m.index === 0) continue;
    const name = HIDDEN_NAMES[cp] ?? (cp >= 0xe0000 ? 'TAG CHARACTER' : 'INVISIBLE FORMAT CHARACTER');
    found.push({ offset: m.index!, codePoint: cp, name });
  }
  return found;
}

export function hasHiddenChars(text: string): boolean {
  HIDDEN.lastIndex = 0;
  const r = HIDDEN.test(text.replace(/^\ufeff/, ''));
  HIDDEN.lastIndex = 0;
  return r;
}

export function describeCodePoint(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}
