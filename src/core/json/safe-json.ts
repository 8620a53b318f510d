/**
 * Strict JSON with positions, for files such as `.claude/settings.local.json`: parsed with
 * `jsonc-parser` (comments and trailing commas refused — other tools read these files as plain
 * JSON), nesting capped before the recursive parser runs, duplicate keys reported, every error a
 * positioned `Problem`. Objects are built with `Object.defineProperty`, so a `__proto__` key is an
 * own data property and never sets a prototype.
 */
import {
  findNodeAtLocation,
  type Node as JsonNode,
  type ParseError,
  parseTree,
  printParseErrorCode,
} from 'jsonc-parser';
import { type Problem, problem, type ReadResult } from '../problems';
import type { SourcePosition, ValuePath } from '../source-position';
import { decodeUtf8, LineIndex } from '../text';
import type { PositionLocator } from '../yaml/safe-yaml';

export const MAX_JSON_DEPTH = 100;

export class JsonSource implements PositionLocator {
  private readonly lines: LineIndex;

  constructor(
    readonly file: string,
    readonly text: string,
    readonly root: JsonNode | undefined,
  ) {
    this.lines = new LineIndex(text);
  }

  positionAt(offset: number): { line: number; column: number } {
    return this.lines.positionAt(Math.max(0, Math.min(offset, this.text.length)));
  }

  locate(path: ValuePath, options?: { key?: boolean }): SourcePosition {
    let node: JsonNode | undefined;
    let depth = path.length;
    // The deepest existing ancestor when the full path does not exist.
    for (; depth >= 0; depth--) {
      node = this.root ? findNodeAtLocation(this.root, [...path.slice(0, depth)]) : undefined;
      if (node) break;
    }
    if (node && options?.key && depth === path.length && node.parent?.type === 'property') {
      node = node.parent.children?.[0] ?? node;
    }
    const start = node?.offset ?? 0;
    const a = this.positionAt(start);
    const b = this.positionAt(start + (node?.length ?? 0));
    return { file: this.file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }
}

export interface ParsedJson {
  value: unknown;
  source: JsonSource;
}

export function parseSafeJsonBytes(bytes: Uint8Array, file: string): ReadResult<ParsedJson> {
  const decoded = decodeUtf8(bytes, file);
  if (decoded.problems.length) return { value: undefined, problems: decoded.problems };
  return parseSafeJson(decoded.text, file);
}

/** Parses strict JSON. Any error makes `value` undefined. Never throws. */
export function parseSafeJson(text: string, file: string): ReadResult<ParsedJson> {
  const lines = new LineIndex(text);
  const at = (offset: number, rule: string, message: string): Problem => {
    const p = lines.positionAt(offset);
    return problem(file, p.line, p.column, rule, message);
  };
  // A byte-order mark becomes a space: JSON allows it, and every offset stays the same.
  const body = text.startsWith('\ufeff') ? ` ${text.slice(1)}` : text;
  const tooDeep = findTooDeep(body, MAX_JSON_DEPTH);
  if (tooDeep !== undefined) {
    return {
      value: undefined,
      problems: [
        at(tooDeep, 'json-too-deep', `JSON is nested more than ${MAX_JSON_DEPTH} levels deep; flatten the structure`),
      ],
    };
  }
  const errors: ParseError[] = [];
  let root: JsonNode | undefined;
  try {
    root = parseTree(body, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch (err) {
    return {
      value: undefined,
      problems: [at(0, 'json-syntax', `JSON could not be read (${err instanceof Error ? err.message : String(err)})`)],
    };
  }
  const problems: Problem[] = errors.map((e) => at(e.offset, 'json-syntax', jsonErrorMessage(e, body)));
  if (problems.length || !root) {
    if (!problems.length) problems.push(at(0, 'json-syntax', 'the file is empty; write a JSON object such as {}'));
    return { value: undefined, problems };
  }
  const source = new JsonSource(file, body, root);
  const value = toValue(root, source, problems);
  if (problems.length) return { value: undefined, problems };
  return { value: { value, source }, problems: [] };
}

function jsonErrorMessage(e: ParseError, text: string): string {
  const name = printParseErrorCode(e.error);
  const near = JSON.stringify(text.slice(e.offset, e.offset + Math.min(Math.max(e.length, 1), 20)));
  switch (name) {
    case 'InvalidCommentToken':
      return 'comments are not allowed in this JSON file (Claude Code reads it as plain JSON); remove the comment';
    case 'PropertyNameExpected':
      return `a property name in double quotes was expected (near ${near}); remove a trailing comma or quote the key`;
    case 'ValueExpected':
      return `a value was expected (near ${near}); remove a trailing comma or add the value`;
    case 'CommaExpected':
      return `a comma was expected (near ${near}); separate the entries with commas`;
    case 'ColonExpected':
      return `a colon was expected after the property name (near ${near})`;
    case 'CloseBraceExpected':
      return 'a closing } is missing';
    case 'CloseBracketExpected':
      return 'a closing ] is missing';
    case 'EndOfFileExpected':
      return `unexpected text after the end of the JSON value (near ${near}); the file must hold one JSON object`;
    default:
      return `invalid JSON: ${name} (near ${near})`;
  }
}

/** Offset of the first bracket nested deeper than `max`, skipping strings and comments; iterative. */
function findTooDeep(text: string, max: number): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i++;
        else if (d === 34 || d === 10) break;
      }
    } else if (c === 47 /* / */ && text[i + 1] === '/') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    } else if (c === 47 && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > max) return i;
    } else if (c === 93 || c === 125) {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

function toValue(node: JsonNode, source: JsonSource, problems: Problem[]): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const seen = new Set<string>();
      for (const prop of node.children ?? []) {
        const [keyNode, valueNode] = prop.children ?? [];
        if (!keyNode) continue;
        const key = String(keyNode.value);
        if (seen.has(key)) {
          const p = source.positionAt(keyNode.offset);
          problems.push(
            problem(
              source.file,
              p.line,
              p.column,
              'json-duplicate-key',
              `duplicate key ${JSON.stringify(key)}: each key may appear only once in an object; remove or rename one of them`,
            ),
          );
          continue;
        }
        seen.add(key);
        Object.defineProperty(out, key, {
          value: valueNode ? toValue(valueNode, source, problems) : null,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map((c) => toValue(c, source, problems));
    default:
      return node.value;
  }
}
