/**
 * The renderer of the markers in `templates/` — init's own syntax, distinct from the placeholders a
 * user fills in a PRP (`[…]`, `[TODO]`) and from PRP conditionals (`## IF …`, resolved when a PRP is read):
 *
 *   {{ccf.path.to.value}}            the value (lists joined with ", ")
 *   {{ccf.path | lines}}             a list one item per line (also: comma, bullets, code)
 *   {{ccf.if path}} … {{ccf.else}} … {{ccf.end}}     a block kept when the value is "truthy"
 *   {{ccf.if !path}} … {{ccf.end}}                   … or when it is not
 *
 * Truthy: a non-empty list, a non-empty string other than `none`, `true`, a non-zero number, an object.
 * A block tag alone on its line takes the whole line with it. Substituted text is never rendered again.
 * An unknown value, an unknown filter or an unbalanced block is a `TemplateError` (a bug in a template).
 */
import { LineIndex } from '../text';

export type RenderValue = string | number | boolean | readonly string[] | RenderContext | undefined;
export interface RenderContext {
  readonly [key: string]: RenderValue;
}

export class TemplateError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${column}: template error: ${reason}`);
    this.name = 'TemplateError';
  }
}

const TAG = /\{\{ccf\.([^{}]*)\}\}/g;
const PATH = /^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/;
const FILTERS = new Set(['comma', 'lines', 'bullets', 'code']);

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'value'; path: string; filter: string; offset: number }
  | { kind: 'if'; path: string; negate: boolean; whenTrue: Node[]; whenFalse: Node[]; offset: number };

interface Token {
  kind: 'value' | 'if' | 'else' | 'end';
  body: string;
  /** Where the replaced text starts and ends (a standalone block tag covers its whole line). */
  start: number;
  end: number;
  /** Offset of the tag itself, for messages. */
  offset: number;
}

/** Whether a text contains any init marker. */
export function hasMarkers(text: string): boolean {
  TAG.lastIndex = 0;
  const found = TAG.test(text);
  TAG.lastIndex = 0;
  return found;
}

export function renderTemplate(text: string, context: RenderContext, file = 'template'): string {
  const index = new LineIndex(text);
  const fail = (offset: number, reason: string): never => {
    const { line, column } = index.positionAt(offset);
    throw new TemplateError(file, line, column, reason);
  };
  const nodes = parse(text, tokenize(text), fail);
  return evaluate(nodes, context, fail);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(TAG)) {
    const body = (m[1] ?? '').trim();
    const offset = m.index ?? 0;
    const kind = body === 'else' ? 'else' : body === 'end' ? 'end' : /^if\s/.test(body) ? 'if' : 'value';
    let start = offset;
    let end = offset + m[0].length;
    if (kind !== 'value') {
      const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
      const newline = text.indexOf('\n', end);
      const lineEnd = newline === -1 ? text.length : newline;
      if (/^[ \t]*$/.test(text.slice(lineStart, offset)) && /^[ \t\r]*$/.test(text.slice(end, lineEnd))) {
        start = lineStart;
        end = newline === -1 ? text.length : newline + 1;
      }
    }
    tokens.push({ kind, body, start, end, offset });
  }
  return tokens;
}

function parse(text: string, tokens: Token[], fail: (offset: number, reason: string) => never): Node[] {
  const root: Node[] = [];
  const stack: Array<{ node: Extract<Node, { kind: 'if' }>; inElse: boolean }> = [];
  const target = (): Node[] => {
    const top = stack[stack.length - 1];
    return top ? (top.inElse ? top.node.whenFalse : top.node.whenTrue) : root;
  };
  let pos = 0;
  for (const t of tokens) {
    if (t.start > pos) target().push({ kind: 'text', text: text.slice(pos, t.start) });
    pos = t.end;
    if (t.kind === 'value') {
      const [rawPath = '', rawFilter, ...extra] = t.body.split('|').map((s) => s.trim());
      if (!PATH.test(rawPath))
        fail(t.offset, `"${t.body}" is not a value path (expected e.g. {{ccf.techStack.database}})`);
      const filter = rawFilter ?? 'comma';
      if (extra.length > 0 || !FILTERS.has(filter)) {
        fail(
          t.offset,
          `unknown filter "${t.body.split('|').slice(1).join('|').trim()}" (known: ${[...FILTERS].join(', ')})`,
        );
      }
      target().push({ kind: 'value', path: rawPath, filter, offset: t.offset });
    } else if (t.kind === 'if') {
      const expr = t.body.slice(2).trim();
      const negate = expr.startsWith('!');
      const path = negate ? expr.slice(1).trim() : expr;
      if (!PATH.test(path))
        fail(t.offset, `"{{ccf.${t.body}}}" must name a value: {{ccf.if path}} or {{ccf.if !path}}`);
      const node: Extract<Node, { kind: 'if' }> = {
        kind: 'if',
        path,
        negate,
        whenTrue: [],
        whenFalse: [],
        offset: t.offset,
      };
      target().push(node);
      stack.push({ node, inElse: false });
    } else if (t.kind === 'else') {
      const top = stack[stack.length - 1];
      if (!top || top.inElse) fail(t.offset, '{{ccf.else}} without a matching {{ccf.if …}}');
      else top.inElse = true;
    } else {
      if (!stack.pop()) fail(t.offset, '{{ccf.end}} without a matching {{ccf.if …}}');
    }
  }
  const open = stack[stack.length - 1];
  if (open)
    fail(
      open.node.offset,
      `{{ccf.if ${open.node.negate ? '!' : ''}${open.node.path}}} is never closed with {{ccf.end}}`,
    );
  if (pos < text.length) root.push({ kind: 'text', text: text.slice(pos) });
  return root;
}

function evaluate(
  nodes: readonly Node[],
  context: RenderContext,
  fail: (offset: number, reason: string) => never,
): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'value') {
      const found = lookup(context, node.path);
      if (!found.exists) fail(node.offset, `unknown value "${node.path}"`);
      const v = found.value;
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
        fail(node.offset, `"${node.path}" is a group of values; name one of its fields`);
      }
      out += format(v, node.filter);
    } else {
      const found = lookup(context, node.path);
      if (!found.exists && !found.parentExists) fail(node.offset, `unknown value "${node.path}"`);
      const truthy = isTruthy(found.value) !== node.negate;
      out += evaluate(truthy ? node.whenTrue : node.whenFalse, context, fail);
    }
  }
  return out;
}

function lookup(context: RenderContext, path: string): { exists: boolean; parentExists: boolean; value: RenderValue } {
  const parts = path.split('.');
  let current: RenderValue = context;
  for (let i = 0; i < parts.length; i++) {
    const key = parts[i]!;
    const isObject = typeof current === 'object' && current !== null && !Array.isArray(current);
    if (!isObject || !Object.hasOwn(current as object, key)) {
      return { exists: false, parentExists: isObject && i === parts.length - 1, value: undefined };
    }
    current = (current as RenderContext)[key];
  }
  return { exists: current !== undefined, parentExists: true, value: current };
}

export function isTruthy(value: RenderValue): boolean {
  if (value === undefined) return false;
  if (typeof value === 'string') return value !== '' && value !== 'none';
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

function format(value: RenderValue, filter: string): string {
  const items = Array.isArray(value) ? (value as readonly string[]).map(String) : [String(value)];
  switch (filter) {
    case 'lines':
      return items.join('\n');
    case 'bullets':
      return items.map((i) => `- ${i}`).join('\n');
    case 'code':
      return items.map((i) => `\`${i}\``).join(', ');
    default:
      return items.join(', ');
  }
}
