/**
 * Safe YAML for the files a project hands us (`.claude/orchestration.yaml`, markdown frontmatter).
 *
 * The `yaml` package parses; this module decides what is allowed and turns every refusal into a
 * positioned `Problem` instead of an exception:
 * - **aliases are refused** (`*name`): workflows need none, and refusing them rules out alias bombs
 *   ("billion laughs") and cycles. A lone anchor (`&name`) is harmless and ignored.
 * - **merge keys are refused** (`<<`): YAML 1.2 does not merge anyway, and merge amplification is a known DoS.
 * - **duplicate keys are errors** (`uniqueKeys`), positioned at the second occurrence.
 * - **core schema only**: `yes`/`No`/`on` stay strings; explicit tags other than the core ones
 *   (`!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, `!!map`, `!!seq`, `!`) are refused —
 *   `!!js/function`, `!!binary`, `!foo` and friends never reach a constructor.
 * - **nesting is capped** (`MAX_YAML_DEPTH`) before anything recursive runs: the `yaml` composer recurses
 *   per level, and a stack overflow inside V8's regexp compiler aborts the whole process, so a
 *   2 MB file of `[` must be refused by counting, not by catching.
 * - **keys are plain strings**; complex (`? [a]`) and null keys are refused.
 * - **`__proto__`, `constructor`, `prototype` never reach a prototype**: every key is stored with
 *   `Object.defineProperty` as an own, enumerable data property of an ordinary object, so
 *   `({}).polluted` stays `undefined` and the key stays readable as data. Models built on top
 *   (workflows, settings) reject such keys where a key is a name; see their readers.
 * - the size cap and strict UTF-8 of `decodeUtf8` apply to bytes (`parseSafeYamlBytes`).
 *
 * The parsed value comes with a `YamlSource` that maps a value path back to a line and column,
 * so schema (zod) errors are reported where the offending node is.
 */
import {
  Composer,
  type CST,
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Lexer,
  type ParsedNode,
  Parser,
  type YAMLError,
  type Node as YamlNode,
} from 'yaml';
import { type Problem, problem, type ReadResult, type Severity } from '../problems';
import type { SourcePosition, ValuePath } from '../source-position';
import { decodeUtf8, LineIndex } from '../text';

/** Deepest nesting of collections accepted (workflows nest a handful of levels; JSON-like configs rarely 20). */
export const MAX_YAML_DEPTH = 100;

/** Parser stack entries that are not collections (document, a pending scalar or key). */
const STACK_SLACK = 3;

type CstToken = CST.Token;

const CORE_TAGS = new Set([
  '!',
  'tag:yaml.org,2002:str',
  'tag:yaml.org,2002:int',
  'tag:yaml.org,2002:float',
  'tag:yaml.org,2002:bool',
  'tag:yaml.org,2002:null',
  'tag:yaml.org,2002:map',
  'tag:yaml.org,2002:seq',
]);

export interface SafeYamlOptions {
  /** Added to every reported line: the line the YAML text starts on in its file, minus one (frontmatter). */
  lineOffset?: number;
  /** Nesting cap, `MAX_YAML_DEPTH` by default. */
  maxDepth?: number;
}

/** Something that can say where a value path is in its source file. */
export interface PositionLocator {
  readonly file: string;
  /**
   * Position of the node at `path` (of its key when `key` is set and the parent is a mapping).
   * When the path does not exist, the position of the deepest existing ancestor.
   */
  locate(path: ValuePath, options?: { key?: boolean }): SourcePosition;
}

interface NodeRange {
  start: number;
  end: number;
}

/** The parsed YAML document kept for positions: value paths and text offsets → line/column. */
export class YamlSource implements PositionLocator {
  private readonly lines: LineIndex;

  constructor(
    readonly file: string,
    readonly text: string,
    readonly root: ParsedNode | null,
    readonly lineOffset = 0,
  ) {
    this.lines = new LineIndex(text);
  }

  /** 1-based position (in the file) of an offset in this YAML text. */
  positionAt(offset: number): { line: number; column: number } {
    const p = this.lines.positionAt(Math.max(0, Math.min(offset, this.text.length)));
    return { line: p.line + this.lineOffset, column: p.column };
  }

  /** The YAML node at `path` (its key node when `key`), or undefined. */
  nodeAt(path: ValuePath, options?: { key?: boolean }): YamlNode | undefined {
    const found = this.walk(path, options?.key ?? false);
    return found.complete ? found.node : undefined;
  }

  /** Source offsets `[start, end)` of the node at `path` (or of the deepest existing ancestor). */
  rangeOf(path: ValuePath, options?: { key?: boolean }): NodeRange {
    const found = this.walk(path, options?.key ?? false);
    const range = found.node?.range;
    if (!range) return { start: 0, end: 0 };
    return { start: range[0], end: range[1] };
  }

  /** The exact source text of the node at `path` (quotes and escapes included). */
  sourceOf(path: ValuePath): string | undefined {
    const node = this.nodeAt(path);
    if (!node?.range) return undefined;
    return this.text.slice(node.range[0], node.range[1]);
  }

  locate(path: ValuePath, options?: { key?: boolean }): SourcePosition {
    const { start, end } = this.rangeOf(path, options);
    const a = this.positionAt(start);
    const b = this.positionAt(Math.max(start, end));
    return { file: this.file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }

  /** A problem positioned at the node at `path`. */
  problemAt(
    path: ValuePath,
    rule: string,
    message: string,
    severity: Severity = 'error',
    options?: { key?: boolean },
  ): Problem {
    const pos = this.locate(path, options);
    return {
      ...problem(this.file, pos.line, pos.column, rule, message, severity),
      endLine: pos.endLine,
      endColumn: pos.endColumn,
    };
  }

  /** A problem positioned at an offset of this YAML text. */
  problemAtOffset(offset: number, rule: string, message: string, severity: Severity = 'error'): Problem {
    const p = this.positionAt(offset);
    return problem(this.file, p.line, p.column, rule, message, severity);
  }

  private walk(path: ValuePath, wantKey: boolean): { node: YamlNode | undefined; complete: boolean } {
    let node: YamlNode | undefined = this.root ?? undefined;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]!;
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && keyText(p.key) === String(seg));
        if (!pair) return { node, complete: false };
        if (last && wantKey) return { node: pair.key as YamlNode, complete: true };
        // `key:` with nothing after it has no value node: point at the key.
        if (pair.value == null) return { node: pair.key as YamlNode, complete: last };
        node = pair.value as YamlNode;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg];
        if (item == null) return { node, complete: false };
        node = item as YamlNode;
      } else {
        return { node, complete: false };
      }
    }
    return { node, complete: true };
  }
}

export interface ParsedYaml {
  /** Plain data: objects, arrays, strings, numbers, booleans, null. `null` for an empty document. */
  value: unknown;
  source: YamlSource;
}

/** Decodes (2 MB cap, strict UTF-8) and parses. */
export function parseSafeYamlBytes(bytes: Uint8Array, file: string, options?: SafeYamlOptions): ReadResult<ParsedYaml> {
  const decoded = decodeUtf8(bytes, file);
  if (decoded.problems.length) return { value: undefined, problems: decoded.problems };
  return parseSafeYaml(decoded.text, file, options);
}

/**
 * Parses one YAML document under the rules above. Any error makes `value` undefined; warnings
 * (none today) would not. Never throws on any input.
 */
export function parseSafeYaml(text: string, file: string, options: SafeYamlOptions = {}): ReadResult<ParsedYaml> {
  const lineOffset = options.lineOffset ?? 0;
  const maxDepth = options.maxDepth ?? MAX_YAML_DEPTH;
  const positions = new YamlSource(file, text, null, lineOffset);
  try {
    // 1. Tokenize with the iterative CST parser and refuse excessive nesting before composing.
    //    The parser keeps open collections on an explicit stack: stop as soon as it grows too deep,
    //    so a 2 MB run of `[` is refused after the first few hundred bytes.
    const lexer = new Lexer();
    const parser = new Parser();
    const tokens: CstToken[] = [];
    let deep: number | undefined;
    for (const lexeme of lexer.lex(text)) {
      for (const token of parser.next(lexeme)) tokens.push(token);
      if (parser.stack.length > maxDepth + STACK_SLACK) {
        deep = parser.offset;
        break;
      }
    }
    if (deep === undefined) {
      for (const token of parser.end()) tokens.push(token);
      deep = findTooDeep(tokens, maxDepth);
    }
    if (deep !== undefined) {
      return {
        value: undefined,
        problems: [
          positions.problemAtOffset(
            deep,
            'yaml-too-deep',
            `YAML is nested more than ${maxDepth} levels deep; flatten the structure`,
          ),
        ],
      };
    }

    // 2. Compose with the core schema, no merge, unique keys, no alias resolution.
    const composer = new Composer({
      version: '1.2',
      schema: 'core',
      merge: false,
      uniqueKeys: true,
      strict: true,
      prettyErrors: false,
      resolveKnownTags: false,
      customTags: [],
      intAsBigInt: false,
    });
    const docs: Document.Parsed[] = Array.from(composer.compose(tokens, true, text.length));
    const problems: Problem[] = [];
    if (docs.length > 1) {
      const second = docs[1]!;
      problems.push(
        positions.problemAtOffset(
          second.range[0],
          'yaml-multiple-documents',
          'only one YAML document is allowed here; remove the second `---` and what follows, or merge them',
        ),
      );
    }
    const doc = docs[0];
    if (!doc) return { value: undefined, problems: [...problems] };
    for (const err of doc.errors) problems.push(yamlErrorProblem(positions, text, err));
    for (const warn of doc.warnings) {
      // Unresolved tags are reported (as errors) by the walk below.
      if (warn.code === 'TAG_RESOLVE_FAILED') continue;
      problems.push({ ...yamlErrorProblem(positions, text, warn), severity: 'warning' });
    }
    const source = new YamlSource(file, text, (doc.contents as ParsedNode | null) ?? null, lineOffset);
    const value = toPlainValue(source, doc.contents as YamlNode | null, problems);
    if (problems.some((p) => p.severity === 'error')) return { value: undefined, problems };
    return { value: { value, source }, problems };
  } catch (err) {
    // Defence in depth: the checks above should make this unreachable.
    return {
      value: undefined,
      problems: [
        problem(
          file,
          1 + lineOffset,
          1,
          'yaml-syntax',
          `YAML could not be read (${err instanceof Error ? err.message : String(err)}); simplify the file`,
        ),
      ],
    };
  }
}

/** Offset of the first token nested deeper than `max` collections, walking the CST iteratively. */
function findTooDeep(tokens: readonly unknown[], max: number): number | undefined {
  const stack: Array<{ t: unknown; d: number }> = tokens.map((t) => ({ t, d: 0 }));
  while (stack.length) {
    const { t, d } = stack.pop()!;
    if (!t || typeof t !== 'object') continue;
    const tok = t as { type?: string; offset?: number; value?: unknown; key?: unknown; items?: unknown[] };
    if (d > max) return tok.offset ?? 0;
    if (tok.type === 'document' && tok.value) stack.push({ t: tok.value, d });
    if (Array.isArray(tok.items)) {
      for (const item of tok.items as Array<{ key?: unknown; value?: unknown }>) {
        if (item.key) stack.push({ t: item.key, d: d + 1 });
        if (item.value) stack.push({ t: item.value, d: d + 1 });
      }
    }
  }
  return undefined;
}

function yamlErrorProblem(positions: YamlSource, text: string, err: YAMLError): Problem {
  const [start] = err.pos;
  const raw = err.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim();
  switch (err.code) {
    case 'DUPLICATE_KEY': {
      const key = /^("(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|[^:#\n]*?)\s*:/
        .exec(text.slice(start, start + 200))?.[1]
        ?.trim();
      return positions.problemAtOffset(
        start,
        'yaml-duplicate-key',
        `duplicate key ${key ? `\`${key}\`` : 'in this mapping'}: each key may appear only once in a mapping; remove or rename one of them`,
      );
    }
    case 'MULTIPLE_DOCS':
      return positions.problemAtOffset(
        start,
        'yaml-multiple-documents',
        'only one YAML document is allowed here; remove the second `---` and what follows, or merge them',
      );
    default:
      return positions.problemAtOffset(
        start,
        'yaml-syntax',
        `YAML syntax error: ${lowerFirst(raw)}; fix the YAML here`,
      );
  }
}

function lowerFirst(s: string): string {
  return s ? s[0]!.toLowerCase() + s.slice(1) : s;
}

/** The string form of a scalar key (plain keys keep their source text, so `1.0:` stays `1.0`). */
function keyText(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  if (typeof key.value === 'string') return key.value;
  if (key.value === null) return undefined;
  return typeof key.source === 'string' ? key.source : String(key.value);
}

function checkTag(source: YamlSource, node: YamlNode, problems: Problem[]): void {
  const tag = (node as { tag?: string }).tag;
  if (tag === undefined || CORE_TAGS.has(tag)) return;
  const shown = tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
  problems.push(
    source.problemAtOffset(
      tagOffset(source.text, node.range?.[0] ?? 0),
      'yaml-tag',
      `YAML tag ${shown} is not allowed; remove it — only plain strings, numbers, booleans, null, lists and mappings are accepted`,
    ),
  );
}

/** Offset of the tag written before the node starting at `nodeStart` (the node itself when not found). */
function tagOffset(text: string, nodeStart: number): number {
  const lineStart = text.lastIndexOf('\n', nodeStart - 1) + 1;
  const bang = text.lastIndexOf('!', nodeStart - 1);
  if (bang < lineStart) return nodeStart;
  let start = bang;
  while (start > lineStart && !/[\s[{,]/.test(text[start - 1]!)) start--;
  return start;
}

/** Sets `key` as an own enumerable data property, never invoking the `__proto__` setter. */
function defineData(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function toPlainValue(source: YamlSource, root: YamlNode | null, problems: Problem[]): unknown {
  let aliasCount = 0;
  let firstAlias: Problem | undefined;
  let firstAliasName = '';
  const convert = (node: YamlNode | null | undefined): unknown => {
    if (node == null) return null;
    if (isAlias(node)) {
      // One problem for the first alias (an alias bomb has thousands), with the count of the others.
      aliasCount++;
      if (aliasCount === 1) {
        firstAlias = source.problemAtOffset(
          node.range?.[0] ?? 0,
          'yaml-alias',
          `YAML aliases are not allowed (*${node.source}); write the value out in full`,
        );
        problems.push(firstAlias);
      } else if (firstAlias) {
        firstAlias.message = `YAML aliases are not allowed (*${firstAliasName}, and ${aliasCount - 1} more); write the values out in full`;
      }
      if (aliasCount === 1) firstAliasName = node.source;
      return null;
    }
    checkTag(source, node, problems);
    if (isScalar(node)) {
      const v = node.value;
      if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
      // Unreachable with the core schema and the tag check; never hand out other objects.
      return String(v);
    }
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as YamlNode | null;
        if (isAlias(keyNode)) {
          convert(keyNode);
          continue;
        }
        const key = keyText(keyNode);
        const keyOffset = keyNode?.range?.[0] ?? node.range?.[0] ?? 0;
        if (keyNode) checkTag(source, keyNode, problems);
        if (key === undefined) {
          problems.push(
            source.problemAtOffset(
              keyOffset,
              'yaml-key',
              isScalar(keyNode) || keyNode == null
                ? 'empty (null) mapping key; give the entry a name'
                : 'mapping keys must be plain strings, not lists or mappings; use a string key',
            ),
          );
          continue;
        }
        if (key === '<<' && isScalar(keyNode) && keyNode.type === 'PLAIN') {
          problems.push(
            source.problemAtOffset(
              keyOffset,
              'yaml-merge-key',
              'YAML merge keys (<<) are not supported; write the keys out in full',
            ),
          );
          continue;
        }
        defineData(out, key, convert(pair.value as YamlNode | null));
      }
      return out;
    }
    if (isSeq(node)) return node.items.map((item) => convert(item as YamlNode | null));
    return null;
  };
  return convert(root);
}
