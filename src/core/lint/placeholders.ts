/**
 * Template leftovers. What the PRP templates leave for the author to fill, and what lint calls unresolved:
 *
 * - explicit markers anywhere in prose: `[TODO]`, `[TBD]`, `[FIXME]`, `TODO:` / `FIXME:`, a capitalised `TBD`,
 *   `{{…}}` and `NEEDS CLARIFICATION`;
 * - template brackets in prose: `[Specific, measurable end state]`, `[feature name]` — square brackets around
 *   two or more words, or around one `ALL_CAPS_NAME`. Markdown links, reference links, footnotes (`[^1]`),
 *   wiki links (`[[x]]`), task checkboxes and escaped brackets are not placeholders; neither is text in inline
 *   code or code blocks (code comments are checked for brackets and markers, not code);
 * - in commands and paths: `{name}` (not `${name}`, not brace expansion `{a,b}`), `<name>`, `{{…}}` (except Go
 *   templates such as `{{.Name}}`) and bracketed template text.
 */

export interface PlaceholderMatch {
  /** Offset in the scanned string. */
  index: number;
  text: string;
}

const MARKERS =
  /\[(?:TODO|TBD|FIXME|XXX|PLACEHOLDER)(?:[:\s][^\]\n]*)?\]|\b(?:TODO|FIXME)(?=\s*[:(])|\bTBD\b|\{\{(?!\s*\.)[^{}\n]*\}\}|\bNEEDS CLARIFICATION\b/g;

/** `[…]` not preceded by `\`, `!`, `[` or `]` and not followed by `(`, `[` or `:` (links, images, wiki links). */
const BRACKETS = /(?<![\\![\]])\[([^[\]\n]{2,240})\](?![([:])/g;

function isTemplateBracket(inner: string): boolean {
  if (inner.startsWith('^') || /^\s*[xX ]?\s*$/.test(inner)) return false;
  // Two or more words with at least two letters each: "[feature name]", "[Specific, measurable end state]".
  const words = inner.match(/[\p{L}][\p{L}'’-]+/gu) ?? [];
  if (words.length >= 2) return true;
  // One placeholder-style identifier: "[FEATURE_NAME]", "[PROJECT-NAME]".
  return /^[A-Z][A-Z0-9]*(?:[_-][A-Z0-9]+)+$/.test(inner.trim());
}

/** Placeholders in prose (a text node's source). */
export function prosePlaceholders(text: string): PlaceholderMatch[] {
  const candidates: PlaceholderMatch[] = [];
  for (const m of text.matchAll(MARKERS)) {
    if (m.index > 0 && text[m.index - 1] === '\\') continue;
    candidates.push({ index: m.index, text: m[0] });
  }
  for (const m of text.matchAll(BRACKETS)) {
    if (isTemplateBracket(m[1]!)) candidates.push({ index: m.index, text: m[0] });
  }
  return withoutOverlaps(candidates);
}

/** Sorted by position, longest first where two start together; a match inside an earlier one is dropped. */
function withoutOverlaps(candidates: PlaceholderMatch[]): PlaceholderMatch[] {
  candidates.sort((a, b) => a.index - b.index || b.text.length - a.text.length);
  const kept: PlaceholderMatch[] = [];
  for (const c of candidates) {
    const last = kept[kept.length - 1];
    if (last && c.index < last.index + last.text.length) continue;
    kept.push(c);
  }
  return kept;
}

const BRACE = /(?<![$\w{])\{([A-Za-z_][\w-]*)\}(?!\})/g;
const ANGLE = /<([a-z][a-z0-9]*(?:[_-][a-z0-9]+)+|[A-Z][A-Z0-9]*(?:[_-][A-Z0-9]+)*)>/g;
const MUSTACHE = /\{\{(?!\s*\.)[^{}\n]*\}\}/g;

/** Single-quoted spans of a shell command (their content is literal data, e.g. awk or jq programs). */
function singleQuotedSpans(s: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let dq = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && !dq) {
      i++;
      continue;
    }
    if (c === '"') dq = !dq;
    else if (c === "'" && !dq) {
      const end = s.indexOf("'", i + 1);
      const stop = end === -1 ? s.length : end;
      spans.push([i, stop]);
      i = stop;
    }
  }
  return spans;
}

/** Placeholders in a gate command: `{domain}`, `<your-endpoint>`, `{{x}}`, `[TODO]`… outside single quotes. */
export function commandPlaceholders(command: string): PlaceholderMatch[] {
  const quoted = singleQuotedSpans(command);
  const inQuotes = (i: number): boolean => quoted.some(([a, b]) => i > a && i < b);
  const found: PlaceholderMatch[] = [];
  for (const re of [BRACE, ANGLE, MUSTACHE, MARKERS]) {
    for (const m of command.matchAll(re)) {
      if (inQuotes(m.index)) continue;
      if (re === MARKERS && !m[0].startsWith('[') && !m[0].startsWith('{{')) continue;
      found.push({ index: m.index, text: m[0] });
    }
  }
  return withoutOverlaps(found);
}

/** Placeholders in a path or URL written in a reference or task: `{domain}`, `[exact/path/to/file.py]`… */
export function pathPlaceholders(value: string): PlaceholderMatch[] {
  const v = value.trim();
  const lead = value.indexOf(v);
  if (/^\[[^\]]*\]$/.test(v) || /^\{\{.*\}\}$/.test(v) || /^<[^>]+>$/.test(v)) return [{ index: lead, text: v }];
  const found: PlaceholderMatch[] = [];
  for (const re of [BRACE, ANGLE, MUSTACHE]) {
    for (const m of value.matchAll(re)) found.push({ index: m.index, text: m[0] });
  }
  return withoutOverlaps(found);
}

/** Placeholders in a comment of a code block (brackets and markers, not code). */
export function commentPlaceholders(comment: string): PlaceholderMatch[] {
  return prosePlaceholders(comment).filter((m) => !/^(?:TODO|FIXME)$/.test(m.text));
}
