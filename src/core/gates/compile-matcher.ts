/**
 * Validation and compilation of matcher specs: regular expressions built once, VS Code's group defaults
 * applied, and every mistake reported with the matcher's name and the offending field instead of silently
 * never matching.
 */
import type { Severity } from '../problems';
import type { FileLocationKind } from './file-location';
import {
  isParserMatcher,
  isPatternMatcher,
  isTestNameMatcher,
  type MatcherSpec,
  type ProblemPatternSpec,
  type StructuredParserName,
} from './matcher-spec';

export class MatcherSpecError extends Error {
  constructor(
    readonly matcher: string,
    readonly field: string,
    detail: string,
  ) {
    super(`problem matcher "${matcher}": ${field}: ${detail}`);
    this.name = 'MatcherSpecError';
  }
}

export interface CompiledPattern {
  regexp: RegExp;
  kind: 'file' | 'location';
  file?: number;
  location?: number;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  severity?: number;
  code?: number;
  message?: number;
  loop: boolean;
}

export interface CompiledTestNamePattern {
  regexp: RegExp;
  name: number;
  file?: number;
  line?: number;
  message?: number;
}

interface CompiledBase {
  name: string;
  owner: string;
  source: string;
  severity: Severity;
  fileLocation: FileLocationKind;
  /** The base directory as written (may hold `${root}`/`${cwd}`), expanded per session. */
  fileLocationBase: string;
  inclusiveEnd: boolean;
  spec: MatcherSpec;
}

export interface CompiledPatternMatcher extends CompiledBase {
  type: 'pattern';
  patterns: CompiledPattern[];
  /** Written as an array (VS Code's MultiLineMatcher, even with one pattern) rather than a single object. */
  multiLine: boolean;
}

export interface CompiledTestNameMatcher extends CompiledBase {
  type: 'testName';
  testName: CompiledTestNamePattern;
}

export interface CompiledParserMatcher extends CompiledBase {
  type: 'parser';
  parser: StructuredParserName;
}

export type CompiledMatcher = CompiledPatternMatcher | CompiledTestNameMatcher | CompiledParserMatcher;

const PARSERS: readonly StructuredParserName[] = ['rustc-json', 'pytest', 'jest', 'vitest'];
const GROUP_FIELDS = [
  'file',
  'location',
  'line',
  'column',
  'endLine',
  'endColumn',
  'severity',
  'code',
  'message',
] as const;

const cache = new WeakMap<MatcherSpec, CompiledMatcher>();

/** Compiles (once per spec object) and validates a matcher. Throws `MatcherSpecError`. */
export function compileMatcher(spec: MatcherSpec): CompiledMatcher {
  const cached = cache.get(spec);
  if (cached) return cached;
  const compiled = compileUncached(spec);
  cache.set(spec, compiled);
  return compiled;
}

export function compileMatchers(specs: readonly MatcherSpec[]): CompiledMatcher[] {
  const seen = new Set<string>();
  return specs.map((spec) => {
    if (seen.has(spec.name)) throw new MatcherSpecError(spec.name, 'name', 'two matchers have this name');
    seen.add(spec.name);
    return compileMatcher(spec);
  });
}

function compileUncached(spec: MatcherSpec): CompiledMatcher {
  const name = spec.name;
  if (!name) throw new MatcherSpecError('(unnamed)', 'name', 'a matcher needs a name');
  if (!spec.source) throw new MatcherSpecError(name, 'source', 'a matcher needs a source (e.g. "eslint")');
  const [fileLocation, fileLocationBase] = readFileLocation(spec);
  const base = {
    name,
    owner: spec.owner ?? name,
    source: spec.source,
    severity: spec.severity ?? 'error',
    fileLocation,
    fileLocationBase,
    inclusiveEnd: spec.inclusiveEnd === true,
    spec,
  } satisfies CompiledBase;
  if (isPatternMatcher(spec)) {
    const list = Array.isArray(spec.pattern) ? spec.pattern : [spec.pattern as ProblemPatternSpec];
    if (list.length === 0) throw new MatcherSpecError(name, 'pattern', 'needs at least one pattern');
    const single = list.length === 1 && !Array.isArray(spec.pattern);
    const patterns = list.map((p, i) => compilePattern(name, p, i, single));
    validatePatterns(name, patterns);
    return { ...base, type: 'pattern', patterns, multiLine: !single };
  }
  if (isTestNameMatcher(spec)) {
    const t = spec.testName;
    const regexp = compileRegExp(name, 'testName.regexp', t.regexp);
    const groups = groupCount(regexp);
    for (const field of ['name', 'file', 'line', 'message'] as const) {
      const g = t[field];
      if (g !== undefined) checkGroup(name, `testName.${field}`, g, groups);
    }
    return {
      ...base,
      type: 'testName',
      testName: { regexp, name: t.name, file: t.file, line: t.line, message: t.message },
    };
  }
  if (isParserMatcher(spec)) {
    if (!PARSERS.includes(spec.parser)) {
      throw new MatcherSpecError(name, 'parser', `unknown parser "${spec.parser}" (known: ${PARSERS.join(', ')})`);
    }
    return { ...base, type: 'parser', parser: spec.parser };
  }
  throw new MatcherSpecError(name, 'pattern', 'a matcher needs a "pattern", a "testName" or a "parser"');
}

// biome-ignore lint/suspicious/noTemplateCurlyInString: a VS Code variable, expanded by the session
const DEFAULT_BASE = '${cwd}';

function readFileLocation(spec: MatcherSpec): [FileLocationKind, string] {
  const fl = spec.fileLocation;
  if (fl === undefined) return ['relative', DEFAULT_BASE];
  const [kind, base] = typeof fl === 'string' ? [fl, DEFAULT_BASE] : [fl[0], fl[1]];
  if (!['relative', 'absolute', 'autoDetect', 'search'].includes(kind)) {
    throw new MatcherSpecError(
      spec.name,
      'fileLocation',
      `unknown kind "${kind}" (relative, absolute, autoDetect, search)`,
    );
  }
  return [kind, base];
}

function compilePattern(matcher: string, p: ProblemPatternSpec, index: number, single: boolean): CompiledPattern {
  const where = single ? 'pattern' : `pattern[${index}]`;
  const regexp = compileRegExp(matcher, `${where}.regexp`, p.regexp);
  const out: CompiledPattern = { regexp, kind: p.kind ?? 'location', loop: p.loop === true };
  for (const field of GROUP_FIELDS) if (p[field] !== undefined) out[field] = p[field];
  if (single) {
    // VS Code's defaults for a single-line pattern (ProblemPatternParser.doCreateSingleProblemPattern).
    if (out.location !== undefined || out.kind === 'file') {
      out.file ??= 1;
      out.message ??= 0;
    } else {
      out.file ??= 1;
      out.line ??= 2;
      out.column ??= 3;
      out.message ??= 0;
    }
  }
  const groups = groupCount(regexp);
  const used = new Map<number, string>();
  for (const field of GROUP_FIELDS) {
    const g = out[field];
    if (g === undefined) continue;
    checkGroup(matcher, `${where}.${field}`, g, groups);
    const other = used.get(g);
    if (other !== undefined && g > 0) {
      const defaulted = [other, field].find((f) => single && p[f as (typeof GROUP_FIELDS)[number]] === undefined);
      const hint = defaulted
        ? ` (in a single-line pattern ${defaulted} defaults to group ${g}, as in VS Code: set ${defaulted} explicitly)`
        : '';
      throw new MatcherSpecError(matcher, `${where}.${field}`, `group ${g} is already the ${other}${hint}`);
    }
    used.set(g, field);
  }
  return out;
}

function validatePatterns(matcher: string, patterns: CompiledPattern[]): void {
  let file = false;
  let message = false;
  let location = false;
  patterns.forEach((p, i) => {
    if (p.loop && i !== patterns.length - 1) {
      throw new MatcherSpecError(
        matcher,
        `pattern[${i}].loop`,
        'only the last pattern of a multi-line matcher can loop',
      );
    }
    if (i > 0 && p.kind === 'file') {
      throw new MatcherSpecError(matcher, `pattern[${i}].kind`, 'only the first pattern can set kind');
    }
    file ||= p.file !== undefined;
    message ||= p.message !== undefined;
    location ||= p.location !== undefined || p.line !== undefined;
  });
  if (!file || !message) {
    throw new MatcherSpecError(matcher, 'pattern', 'the patterns must capture at least a file and a message');
  }
  if (patterns[0]!.kind === 'location' && !location) {
    throw new MatcherSpecError(
      matcher,
      'pattern',
      'the patterns must capture a line or a location, or use kind "file"',
    );
  }
}

function compileRegExp(matcher: string, field: string, source: string | RegExp): RegExp {
  if (source instanceof RegExp) {
    // A global or sticky RegExp would carry lastIndex between lines.
    return source.global || source.sticky ? new RegExp(source.source, source.flags.replace(/[gy]/g, '')) : source;
  }
  try {
    return new RegExp(source);
  } catch (e) {
    throw new MatcherSpecError(matcher, field, `not a valid regular expression: ${(e as Error).message}`);
  }
}

function groupCount(re: RegExp): number {
  return new RegExp(`${re.source}|`, re.flags).exec('')!.length - 1;
}

function checkGroup(matcher: string, field: string, group: number, groups: number): void {
  if (!Number.isInteger(group) || group < 0 || group > groups) {
    throw new MatcherSpecError(
      matcher,
      field,
      `group ${group} does not exist (the regular expression has ${groups} group${groups === 1 ? '' : 's'})`,
    );
  }
}
