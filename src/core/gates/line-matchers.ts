/**
 * VS Code's line matchers (problemMatcher.ts: SingleLineMatcher, MultiLineMatcher), ported: how one pattern or a
 * sequence of patterns turns matched lines into a problem. Semantics kept on purpose:
 * - `message` is appended across the patterns of a multi-line matcher (joined with `\n`); every other field
 *   keeps the first value captured; file, message, code, severity and location are trimmed;
 * - a problem exists only when a file, a location and a non-empty message were all captured;
 * - only the last pattern may `loop`: it then matches following lines one problem each, each starting from
 *   what the earlier patterns captured;
 * - locations: a `location` group `l` (whole line), `l,c` (zero-width at the column) or `l,c,el,ec`, or
 *   separate line/column/endLine/endColumn groups (an end line without an end column is ignored, as in VS Code).
 * Additions: line and column numbers below 1 are clamped to 1 (some compilers print column 0), numbers that do
 * not parse give no problem, and `inclusiveEnd` matchers get one added to the end column.
 */
import type { Severity } from '../problems';
import type { CompiledPattern, CompiledPatternMatcher } from './compile-matcher';
import { WHOLE_LINE_END_COLUMN } from './diagnostic';
import { severityFromValue } from './severity';

export interface ProblemLocation {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A problem as read from the output: the file still as printed. */
export interface RawProblem {
  file: string;
  location: ProblemLocation;
  severity: Severity;
  code?: string;
  message: string;
  /** Absolute directory to resolve a relative `file` against, when the parser knows better than the matcher. */
  base?: string;
}

interface ProblemData {
  kind?: 'file' | 'location';
  file?: string;
  location?: string;
  line?: string;
  column?: string;
  endLine?: string;
  endColumn?: string;
  message?: string;
  severity?: string;
  code?: string;
}

export interface HandleResult {
  problem: RawProblem | undefined;
  /** The last pattern loops: following lines go to `next` while they match. */
  continue: boolean;
}

const NO_MATCH: HandleResult = { problem: undefined, continue: false };

export interface LineMatcher {
  readonly matcher: CompiledPatternMatcher;
  readonly matchLength: number;
  /** Tries the patterns against `lines[start…]` (exactly `matchLength` lines). */
  handle(lines: readonly string[], start: number): HandleResult;
  /** For an active looping matcher: the next line, or undefined when the loop ends. */
  next(line: string): RawProblem | undefined;
}

export function createLineMatcher(matcher: CompiledPatternMatcher): LineMatcher {
  return matcher.multiLine ? new MultiLineMatcher(matcher) : new SingleLineMatcher(matcher);
}

class SingleLineMatcher implements LineMatcher {
  readonly matchLength = 1;
  private readonly pattern: CompiledPattern;
  constructor(readonly matcher: CompiledPatternMatcher) {
    this.pattern = matcher.patterns[0]!;
  }

  handle(lines: readonly string[], start: number): HandleResult {
    const m = this.pattern.regexp.exec(lines[start]!);
    if (!m) return NO_MATCH;
    const data: ProblemData = { kind: this.pattern.kind };
    fillProblemData(data, this.pattern, m);
    const problem = toProblem(data, this.matcher);
    return problem ? { problem, continue: false } : NO_MATCH;
  }

  next(): RawProblem | undefined {
    return undefined;
  }
}

class MultiLineMatcher implements LineMatcher {
  readonly matchLength: number;
  private data: ProblemData | undefined;
  constructor(readonly matcher: CompiledPatternMatcher) {
    this.matchLength = matcher.patterns.length;
  }

  handle(lines: readonly string[], start: number): HandleResult {
    const patterns = this.matcher.patterns;
    let data: ProblemData = { kind: patterns[0]!.kind };
    this.data = data;
    for (let i = 0; i < patterns.length; i++) {
      const pattern = patterns[i]!;
      const m = pattern.regexp.exec(lines[i + start]!);
      if (!m) {
        this.data = undefined;
        return NO_MATCH;
      }
      // The looping pattern fills a copy: what came before is kept for the following lines.
      if (pattern.loop && i === patterns.length - 1) data = { ...data };
      fillProblemData(data, pattern, m);
    }
    const loop = patterns[patterns.length - 1]!.loop;
    if (!loop) this.data = undefined;
    return { problem: toProblem(data, this.matcher), continue: loop };
  }

  next(line: string): RawProblem | undefined {
    const pattern = this.matcher.patterns[this.matcher.patterns.length - 1]!;
    if (!this.data) return undefined;
    const m = pattern.regexp.exec(line);
    if (!m) {
      this.data = undefined;
      return undefined;
    }
    const data = { ...this.data };
    fillProblemData(data, pattern, m);
    return toProblem(data, this.matcher);
  }
}

function fillProblemData(data: ProblemData, pattern: CompiledPattern, m: RegExpExecArray): void {
  fill(data, 'file', pattern.file, m, true);
  appendMessage(data, pattern.message, m);
  fill(data, 'code', pattern.code, m, true);
  fill(data, 'severity', pattern.severity, m, true);
  fill(data, 'location', pattern.location, m, true);
  fill(data, 'line', pattern.line, m, false);
  fill(data, 'column', pattern.column, m, false);
  fill(data, 'endLine', pattern.endLine, m, false);
  fill(data, 'endColumn', pattern.endColumn, m, false);
}

type StringField = Exclude<keyof ProblemData, 'kind'>;

function fill(
  data: ProblemData,
  field: StringField,
  group: number | undefined,
  m: RegExpExecArray,
  trim: boolean,
): void {
  if (data[field] !== undefined || group === undefined) return;
  const value = m[group];
  if (value !== undefined) data[field] = trim ? value.trim() : value;
}

function appendMessage(data: ProblemData, group: number | undefined, m: RegExpExecArray): void {
  if (group === undefined) return;
  const value = m[group];
  if (value === undefined) return;
  data.message = data.message === undefined ? value.trim() : `${data.message}\n${value.trim()}`;
}

function toProblem(data: ProblemData, matcher: CompiledPatternMatcher): RawProblem | undefined {
  if (!data.file || !data.message) return undefined;
  const location = getLocation(data, matcher.inclusiveEnd);
  if (!location) return undefined;
  const problem: RawProblem = {
    file: data.file,
    location,
    severity: severityFromValue(data.severity, matcher.severity),
    message: data.message,
  };
  if (data.code) problem.code = data.code;
  return problem;
}

function getLocation(data: ProblemData, inclusiveEnd: boolean): ProblemLocation | undefined {
  if (data.kind === 'file') return { line: 1, column: 1, endLine: 1, endColumn: 1 };
  if (data.location) return parseLocationInfo(data.location, inclusiveEnd);
  if (!data.line) return undefined;
  return createLocation(
    toInt(data.line),
    data.column ? toInt(data.column) : undefined,
    data.endLine ? toInt(data.endLine) : undefined,
    data.endColumn ? toInt(data.endColumn) : undefined,
    inclusiveEnd,
  );
}

const LOCATION_SHAPE = /^\s*\d+(?:\s*,\s*\d+){0,3}\s*$/;

function parseLocationInfo(value: string, inclusiveEnd: boolean): ProblemLocation | undefined {
  if (!LOCATION_SHAPE.test(value)) return undefined;
  const parts = value.split(',');
  const line = toInt(parts[0]!);
  const column = parts.length > 1 ? toInt(parts[1]!) : undefined;
  if (parts.length > 3) return createLocation(line, column, toInt(parts[2]!), toInt(parts[3]!), inclusiveEnd);
  return createLocation(line, column, undefined, undefined, inclusiveEnd);
}

function createLocation(
  line: number,
  column: number | undefined,
  endLine: number | undefined,
  endColumn: number | undefined,
  inclusiveEnd: boolean,
): ProblemLocation | undefined {
  if (Number.isNaN(line) || (column !== undefined && Number.isNaN(column))) return undefined;
  const l = Math.max(1, line);
  if (column !== undefined && endColumn !== undefined && !Number.isNaN(endColumn)) {
    const c = Math.max(1, column);
    const el = endLine !== undefined && !Number.isNaN(endLine) && endLine > 0 ? endLine : l;
    let ec = Math.max(1, endColumn + (inclusiveEnd ? 1 : 0));
    if (el === l && ec < c) ec = c;
    return { line: l, column: c, endLine: Math.max(el, l), endColumn: ec };
  }
  if (column !== undefined) {
    const c = Math.max(1, column);
    return { line: l, column: c, endLine: l, endColumn: c };
  }
  return { line: l, column: 1, endLine: l, endColumn: WHOLE_LINE_END_COLUMN };
}

function toInt(s: string): number {
  const t = s.trim();
  return /^\d+$/.test(t) ? Number.parseInt(t, 10) : Number.NaN;
}
