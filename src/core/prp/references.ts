/**
 * Context references: the entries of the "Documentation & References" YAML blocks
 *
 *     - url: https://docs.example.com/retries#backoff
 *       why: the retry-after header semantics
 *     - file: src/webhooks/deliver.ts
 *       pattern: the delivery loop
 *     - docfile: PRPs/ai_docs/queue.md
 *
 * and, in context sections, markdown list items of the same shape (`- file: src/x.ts`, ``- `src/x.ts` - why``).
 * Many real PRP blocks are not valid YAML (`why: see: this`), so a block the YAML parser rejects — or one that
 * holds anchors or aliases, which are never expanded — is read line by line instead; one bad block never fails
 * the PRP.
 */
import type { Code, List, ListItem, Nodes, RootContent } from 'mdast';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Node as YamlNode } from 'yaml';
import type { ContextReference, ReferenceKind } from './model';
import { plainText, type Source } from './source';

const KIND_KEYS: ReadonlySet<string> = new Set(['url', 'file', 'docfile', 'doc']);
const KNOWN_FIELDS = ['why', 'pattern', 'gotcha', 'section', 'critical'] as const;
type KnownField = (typeof KNOWN_FIELDS)[number];

const YAML_LANGS: ReadonlySet<string> = new Set(['yaml', 'yml']);

interface RawEntry {
  kind: ReferenceKind;
  target: string;
  /** 0-based line and column in the code body. */
  line: number;
  column: number;
  fields: Array<{ key: string; value: string; line: number }>;
}

function build(
  entry: RawEntry,
  at: (line: number, column: number) => { line: number; column: number },
  source: ContextReference['source'],
): ContextReference {
  const pos = at(entry.line, entry.column);
  const ref: ContextReference = {
    kind: entry.kind,
    target: entry.target,
    line: pos.line,
    column: pos.column,
    notes: [],
    source,
  };
  for (const f of entry.fields) {
    if ((KNOWN_FIELDS as readonly string[]).includes(f.key) && ref[f.key as KnownField] === undefined) {
      ref[f.key as KnownField] = f.value;
    } else {
      ref.notes.push({ key: f.key, value: f.value, line: at(f.line, 0).line });
    }
  }
  return ref;
}

/** Entries of one YAML block body via the YAML parser; `undefined` when the block is not clean YAML. */
export function referencesFromYaml(body: string): RawEntry[] | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(body, { lineCounter, uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length > 0) return undefined;
  let hasAlias = false;
  visit(doc, {
    Alias() {
      hasAlias = true;
      return visit.BREAK;
    },
    Node(_key, node) {
      if ((node as { anchor?: string }).anchor) {
        hasAlias = true;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  if (hasAlias) return undefined;
  if (doc.contents === null) return [];
  if (!isSeq(doc.contents)) return undefined;
  const entries: RawEntry[] = [];
  const text = (node: unknown): string => {
    if (isScalar(node)) return node.value === null ? '' : String(node.value);
    const range = (node as YamlNode | null)?.range;
    return range ? body.slice(range[0], range[1]).trim() : '';
  };
  const pos = (node: unknown): { line: number; column: number } => {
    const range = (node as YamlNode | null)?.range;
    const p = lineCounter.linePos(range?.[0] ?? 0);
    return { line: p.line - 1, column: p.col - 1 };
  };
  for (const item of doc.contents.items) {
    if (!isMap(item)) continue;
    const kindPair = item.items.find((p) => isScalar(p.key) && KIND_KEYS.has(String(p.key.value)));
    if (!kindPair || isAlias(kindPair.value)) continue;
    const at = pos(kindPair.value ?? kindPair.key);
    const entry: RawEntry = {
      kind: String((kindPair.key as { value: unknown }).value) as ReferenceKind,
      target: text(kindPair.value),
      line: at.line,
      column: at.column,
      fields: [],
    };
    for (const pair of item.items) {
      if (pair === kindPair) continue;
      const key = isScalar(pair.key) ? String(pair.key.value) : text(pair.key);
      entry.fields.push({ key, value: text(pair.value), line: pos(pair.key).line });
    }
    entries.push(entry);
  }
  return entries;
}

const ENTRY_LINE = /^(\s*)-\s+(url|file|docfile|doc)\s*:\s*(.*?)\s*$/;
const ITEM_LINE = /^(\s*)-\s/;
const FIELD_LINE = /^(\s+)([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$/;

function unquote(value: string): string {
  const m = /^(['"])(.*)\1$/.exec(value);
  return m ? m[2]! : value;
}

/** Entries of one block body read line by line, for blocks that are not valid YAML. */
export function referencesFromLines(body: string): RawEntry[] {
  const entries: Array<RawEntry & { indent: number }> = [];
  let current: (RawEntry & { indent: number }) | undefined;
  body.split('\n').forEach((rawLine, i) => {
    const line = rawLine.replace(/\r$/, '');
    const entry = ENTRY_LINE.exec(line);
    if (entry) {
      const value = entry[3]!;
      current = {
        kind: entry[2] as ReferenceKind,
        target: unquote(value),
        line: i,
        column: line.length - value.length - (line.length - line.trimEnd().length),
        fields: [],
        indent: entry[1]!.length,
      };
      entries.push(current);
      return;
    }
    if (ITEM_LINE.test(line) && current && ITEM_LINE.exec(line)![1]!.length <= current.indent) {
      current = undefined;
      return;
    }
    const field = FIELD_LINE.exec(line);
    if (field && current && field[1]!.length > current.indent) {
      current.fields.push({ key: field[2]!, value: unquote(field[3]!), line: i });
    }
  });
  return entries.map(({ indent: _indent, ...e }) => e);
}

const PATH_LIKE = /^[\w@.~-][\w@./~+-]*\.[\w]+$|^[\w@.~-]+\/[\w@./~+-]*$/;

/** A markdown list item that names a reference: `file: src/x.ts`, `` `src/x.ts` - why ``, `[docs](https://…) - why`. */
function referenceFromListItem(item: ListItem, source: Source): ContextReference | undefined {
  const para = item.children[0];
  if (para?.type !== 'paragraph') return undefined;
  const first = para.children[0];
  if (!first) return undefined;
  const pos = { line: first.position!.start.line, column: first.position!.start.column };
  const whole = plainText(para);
  const rest = (after: string): string => after.replace(/^\s*[-–—:]\s*/, '').trim();
  if (first.type === 'text') {
    const m = /^(url|file|docfile|doc)\s*:\s*(\S+)\s*(.*)$/.exec(first.value);
    if (m) {
      // The value may be inline code right after the key: `file: \`src/x.ts\``.
      const second = para.children[1];
      const target = m[2] ? m[2] : second && second.type === 'inlineCode' ? second.value : '';
      const col = pos.column + first.value.indexOf(m[2]!);
      return {
        kind: m[1] as ReferenceKind,
        target,
        line: pos.line,
        column: col,
        ...(m[3] ? { why: rest(m[3]) } : {}),
        notes: [],
        source: 'markdown',
      };
    }
    return undefined;
  }
  if (first.type === 'inlineCode' && PATH_LIKE.test(first.value) && !/^https?:/.test(first.value)) {
    const why = rest(whole.slice(first.value.length));
    return {
      kind: 'file',
      target: first.value,
      ...pos,
      column: pos.column + 1,
      ...(why ? { why } : {}),
      notes: [],
      source: 'markdown',
    };
  }
  if (first.type === 'link' && /^https?:\/\//.test(first.url)) {
    const why = rest(source.slice(para).slice(source.slice(first).length));
    return {
      kind: 'url',
      target: first.url,
      ...pos,
      ...(why ? { why: why.trim() } : {}),
      notes: [],
      source: 'markdown',
    };
  }
  return undefined;
}

/**
 * All references in the given nodes (a context section's content, or the whole document when there is none).
 * `markdownLists` adds list items of the reference shape, which only makes sense inside a context section.
 */
export function extractReferences(nodes: RootContent[], source: Source, markdownLists: boolean): ContextReference[] {
  const refs: ContextReference[] = [];
  const stack: Nodes[] = [...nodes].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'code') {
      if (!YAML_LANGS.has((node.lang ?? '').toLowerCase())) continue;
      const code = node as Code;
      const at = (line: number, column: number) => source.codePosition(code, line, column);
      const yaml = referencesFromYaml(code.value);
      const entries = yaml ?? referencesFromLines(code.value);
      for (const e of entries) refs.push(build(e, at, yaml ? 'yaml' : 'lines'));
      continue;
    }
    if (node.type === 'list' && markdownLists) {
      for (const item of (node as List).children) {
        const ref = referenceFromListItem(item, source);
        if (ref) refs.push(ref);
      }
    }
    if ('children' in node && node.type !== 'paragraph' && node.type !== 'heading') {
      const kids = node.children as Nodes[];
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
    }
  }
  return refs;
}
