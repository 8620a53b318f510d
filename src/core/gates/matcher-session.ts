/**
 * Feeding a command's output to problem matchers as it arrives: `createMatcherSession(matchers, options)`,
 * `push(line)` for every line, `end()` for the diagnostics and failing tests.
 *
 * Pattern matchers run through VS Code's collector algorithm (problemCollectors.ts `tryFindMarker`): a
 * sliding buffer as long as the longest multi-line pattern; an active looping matcher gets each line first
 * and, when it stops matching, the buffer is cleared; otherwise the line is appended and matchers are tried
 * against the buffer's tail, longest patterns first; a match clears the buffer. Structured parsers see every
 * line before the patterns do.
 *
 * Each line has ANSI/OSC escape sequences stripped first (strip-ansi), a trailing `\r` dropped, and only the
 * text after its last remaining `\r` kept (what a terminal shows after a progress bar redraw).
 *
 * De-duplication: identical diagnostics (same file, range, severity, code and message) are reported once, and
 * one output line yields problems from one matcher only — the first that claims it, structured parsers
 * before patterns, patterns in the order given — so the fallback that tries every matcher does not report
 * a line twice under two readings.
 *
 * Memory is bounded whatever the output's length: the buffer holds at most the longest pattern's lines,
 * diagnostics and failing tests are capped (`maxDiagnostics`, `maxFailedTests`; what is dropped is counted),
 * and lines longer than `maxLineLength` are not tried against regular expressions (no tool prints a problem
 * that long, and it bounds the cost of backtracking on hostile lines); only the JSON parser (rustc) reads them.
 */
import stripAnsi from 'strip-ansi';
import type { OutputLine } from '../ports/process-runner';
import { type CompiledMatcher, compileMatcher } from './compile-matcher';
import { type Diagnostic, diagnosticKey, isAbsolutePath } from './diagnostic';
import {
  expandBase,
  type FileLocationContext,
  joinPath,
  normalizeAbsolute,
  resolvePrintedPath,
  toProjectRelative,
  toSlashes,
} from './file-location';
import { createLineMatcher, type LineMatcher, type RawProblem } from './line-matchers';
import type { MatcherSpec } from './matcher-spec';
import { STRUCTURED_PARSERS } from './parsers';
import type { ParserSink, RawFailedTest, StructuredParser } from './parsers/structured-parser';
import { createTestNameParser } from './parsers/test-name-parser';

export interface FailedTest {
  /** What the test runner accepts to select this test again (`$TEST_NAME`). */
  id: string;
  /** The matcher source that reported it (`pytest`, `jest`, `go`…). */
  source: string;
  /** Project-relative (absolute when outside the project), when the runner printed it. */
  file?: string;
  line?: number;
  message?: string;
}

export interface MatchResult {
  diagnostics: Diagnostic[];
  failedTests: FailedTest[];
  /** Diagnostics and failing tests not kept because a cap was reached. */
  dropped: number;
  /** Lines seen. */
  lines: number;
}

export interface MatcherSessionOptions {
  /** Absolute project root: diagnostics' files are made relative to it. */
  root: string;
  /** Where the command ran (absolute, or relative to the root). Default: the root. */
  cwd?: string;
  /** Existence test for `autoDetect`/`search` file locations (absolute path). Keep it cheap: it is cached. */
  exists?: (absolutePath: string) => boolean;
  /** Project-relative paths of the project's files: an `exists` without disk access, and what `search` searches. */
  knownFiles?: Iterable<string>;
  maxDiagnostics?: number;
  maxFailedTests?: number;
  maxLineLength?: number;
  /** Called for each new (de-duplicated) diagnostic as soon as it is read. */
  onDiagnostic?: (d: Diagnostic) => void;
  onFailedTest?: (t: FailedTest) => void;
}

export interface MatcherSession {
  push(line: string | OutputLine): void;
  end(): MatchResult;
}

export const DEFAULT_MAX_DIAGNOSTICS = 5000;
export const DEFAULT_MAX_FAILED_TESTS = 1000;
export const DEFAULT_MAX_LINE_LENGTH = 16 * 1024;

const NOT_PROJECT_CODE = /(?:^|\/)(?:node_modules|site-packages|dist-packages|\.venv|venv|\.tox|\.git)\//;

export function createMatcherSession(
  matchers: readonly (MatcherSpec | CompiledMatcher)[],
  options: MatcherSessionOptions,
): MatcherSession {
  return new Session(
    matchers.map((m) => ('type' in m && 'spec' in m ? m : compileMatcher(m as MatcherSpec))),
    options,
  );
}

/** Runs `text` (a whole output) through a fresh session. */
export function matchOutput(
  text: string,
  matchers: readonly (MatcherSpec | CompiledMatcher)[],
  options: MatcherSessionOptions,
): MatchResult {
  const session = createMatcherSession(matchers, options);
  const lines = text.split('\n');
  // A final newline ends the last line; it does not start an empty one.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) session.push(line);
  return session.end();
}

/** One line as the matchers see it: escape sequences stripped, carriage-return redraws resolved. */
export function cleanLine(raw: string): string {
  let s = raw;
  if (s.length > 0 && s.charCodeAt(s.length - 1) === 13) s = s.slice(0, -1);
  s = stripAnsi(s);
  const cr = s.lastIndexOf('\r');
  return cr >= 0 ? s.slice(cr + 1) : s;
}

class Session implements MatcherSession {
  private readonly root: string;
  private readonly cwd: string;
  private readonly ctx: FileLocationContext;
  private readonly bases = new Map<CompiledMatcher, string>();
  private readonly byLength: (LineMatcher[] | undefined)[] = [];
  private readonly hasPatterns: boolean;
  private bufferLength = 1;
  private readonly buffer: string[] = [];
  private active: LineMatcher | undefined;
  private readonly parsers: StructuredParser[] = [];
  /** Name of the matcher that claimed the current line. */
  private claimedBy: string | undefined;
  private readonly seen = new Set<string>();
  private readonly diagnostics: Diagnostic[] = [];
  private readonly failedTests: FailedTest[] = [];
  private readonly failedById = new Map<string, FailedTest>();
  private dropped = 0;
  private lines = 0;
  private ended = false;
  private readonly maxDiagnostics: number;
  private readonly maxFailedTests: number;
  private readonly maxLineLength: number;

  constructor(
    matchers: readonly CompiledMatcher[],
    private readonly options: MatcherSessionOptions,
  ) {
    if (!isAbsolutePath(toSlashes(options.root)))
      throw new Error(`matcher session root must be absolute: ${options.root}`);
    this.root = normalizeAbsolute(options.root);
    this.cwd = options.cwd
      ? isAbsolutePath(toSlashes(options.cwd))
        ? normalizeAbsolute(options.cwd)
        : joinPath(this.root, options.cwd)
      : this.root;
    this.ctx = buildContext(this.root, options);
    this.maxDiagnostics = options.maxDiagnostics ?? DEFAULT_MAX_DIAGNOSTICS;
    this.maxFailedTests = options.maxFailedTests ?? DEFAULT_MAX_FAILED_TESTS;
    this.maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
    let patterns = 0;
    for (const m of matchers) {
      if (m.type === 'pattern') {
        const lm = createLineMatcher(m);
        const list = this.byLength[lm.matchLength] ?? [];
        list.push(lm);
        this.byLength[lm.matchLength] = list;
        if (lm.matchLength > this.bufferLength) this.bufferLength = lm.matchLength;
        patterns++;
      } else {
        const sink = this.sinkFor(m);
        this.parsers.push(m.type === 'testName' ? createTestNameParser(m, sink) : STRUCTURED_PARSERS[m.parser](sink));
      }
    }
    this.hasPatterns = patterns > 0;
  }

  push(input: string | OutputLine): void {
    if (this.ended) throw new Error('matcher session already ended');
    const text = typeof input === 'string' ? input : input.text;
    if (text.indexOf('\n') < 0) {
      this.pushLine(text);
      return;
    }
    for (const part of text.split('\n')) this.pushLine(part);
  }

  end(): MatchResult {
    if (!this.ended) {
      this.ended = true;
      this.claimedBy = undefined;
      for (const p of this.parsers) p.end();
      this.active = undefined;
      this.buffer.length = 0;
    }
    return { diagnostics: this.diagnostics, failedTests: this.failedTests, dropped: this.dropped, lines: this.lines };
  }

  private pushLine(raw: string): void {
    this.lines++;
    const line = cleanLine(raw);
    this.claimedBy = undefined;
    const long = line.length > this.maxLineLength;
    for (let i = 0; i < this.parsers.length; i++) {
      const p = this.parsers[i]!;
      if (!long || p.acceptsLongLines) p.push(line);
    }
    if (this.hasPatterns && !long) this.tryFindMarker(line);
  }

  private tryFindMarker(line: string): void {
    if (this.active) {
      const problem = this.active.next(line);
      if (problem) {
        this.report(problem, this.active.matcher);
        return;
      }
      this.buffer.length = 0;
      this.active = undefined;
    }
    const buffer = this.buffer;
    if (buffer.length < this.bufferLength) buffer.push(line);
    else {
      const last = buffer.length - 1;
      for (let i = 0; i < last; i++) buffer[i] = buffer[i + 1]!;
      buffer[last] = line;
    }
    if (this.tryMatchers()) buffer.length = 0;
  }

  private tryMatchers(): boolean {
    this.active = undefined;
    const length = this.buffer.length;
    for (let start = 0; start < length; start++) {
      const candidates = this.byLength[length - start];
      if (!candidates) continue;
      for (let i = 0; i < candidates.length; i++) {
        const lm = candidates[i]!;
        const result = lm.handle(this.buffer, start);
        if (result.problem) {
          this.report(result.problem, lm.matcher);
          if (result.continue) this.active = lm;
          return true;
        }
      }
    }
    return false;
  }

  private sinkFor(m: CompiledMatcher): ParserSink {
    return {
      problem: (p) => this.report(p, m),
      failedTest: (t) => this.reportTest(t, m),
      claim: () => {
        this.claimedBy ??= m.name;
      },
      isProjectCode: (printed, base) => this.isProjectCode(printed, base),
    };
  }

  private claim(m: CompiledMatcher): boolean {
    if (this.claimedBy !== undefined && this.claimedBy !== m.name) return false;
    this.claimedBy = m.name;
    return true;
  }

  private report(p: RawProblem, m: CompiledMatcher): void {
    if (!this.claim(m)) return;
    const base = p.base !== undefined ? this.absoluteDir(p.base) : this.baseFor(m);
    const abs = resolvePrintedPath(p.file, m.fileLocation, base, this.ctx);
    const d: Diagnostic = {
      file: toProjectRelative(this.root, abs),
      line: p.location.line,
      column: p.location.column,
      endLine: p.location.endLine,
      endColumn: p.location.endColumn,
      severity: p.severity,
      ...(p.code !== undefined ? { code: p.code } : {}),
      message: p.message,
      source: m.source,
    };
    const key = diagnosticKey(d);
    if (this.seen.has(key)) return;
    if (this.diagnostics.length >= this.maxDiagnostics) {
      this.dropped++;
      return;
    }
    this.seen.add(key);
    this.diagnostics.push(d);
    this.options.onDiagnostic?.(d);
  }

  private reportTest(t: RawFailedTest, m: CompiledMatcher): void {
    if (!this.claim(m)) return;
    const known = this.failedById.get(t.id);
    if (known) {
      // A runner may name a test twice (pytest -v progress, then its summary): keep what the second adds.
      if (known.file === undefined && t.file) known.file = this.testFile(t, m);
      if (known.line === undefined && t.line !== undefined) known.line = t.line;
      if (known.message === undefined && t.message !== undefined) known.message = t.message;
      return;
    }
    if (this.failedTests.length >= this.maxFailedTests) {
      this.dropped++;
      return;
    }
    const test: FailedTest = { id: t.id, source: m.source };
    this.failedById.set(t.id, test);
    if (t.file) test.file = this.testFile(t, m);
    if (t.line !== undefined) test.line = t.line;
    if (t.message !== undefined) test.message = t.message;
    this.failedTests.push(test);
    this.options.onFailedTest?.(test);
  }

  private testFile(t: RawFailedTest, m: CompiledMatcher): string | undefined {
    if (!t.file) return undefined;
    const base = t.base !== undefined ? this.absoluteDir(t.base) : this.baseFor(m);
    return toProjectRelative(this.root, resolvePrintedPath(t.file, 'search', base, this.ctx));
  }

  private isProjectCode(printed: string, base?: string): boolean {
    const p = printed.trim();
    if (!p || p.startsWith('<') || p.includes('://')) return false;
    const abs = resolvePrintedPath(p, 'autoDetect', base !== undefined ? this.absoluteDir(base) : this.cwd, this.ctx);
    const rel = toProjectRelative(this.root, abs);
    return rel !== '.' && !isAbsolutePath(rel) && !NOT_PROJECT_CODE.test(rel);
  }

  private baseFor(m: CompiledMatcher): string {
    let base = this.bases.get(m);
    if (base === undefined) {
      base = expandBase(m.fileLocationBase, this.root, this.cwd);
      this.bases.set(m, base);
    }
    return base;
  }

  private absoluteDir(dir: string): string {
    const d = toSlashes(dir);
    return isAbsolutePath(d) ? normalizeAbsolute(d) : joinPath(this.cwd, d);
  }
}

function buildContext(root: string, options: MatcherSessionOptions): FileLocationContext {
  const known = options.knownFiles ? new Set(Array.from(options.knownFiles, (f) => normalizeRel(f))) : undefined;
  const userExists = options.exists;
  if (!known && !userExists) return { root };
  const cache = new Map<string, boolean>();
  const exists = (abs: string): boolean => {
    let hit = cache.get(abs);
    if (hit === undefined) {
      const rel = toProjectRelative(root, abs);
      hit = (known?.has(rel) ?? false) || (userExists?.(abs) ?? false);
      if (cache.size > 10_000) cache.clear();
      cache.set(abs, hit);
    }
    return hit;
  };
  let byName: Map<string, string[]> | undefined;
  const findBySuffix = (tail: string): string | undefined => {
    if (!known) return undefined;
    if (!byName) {
      byName = new Map();
      for (const f of known) {
        const name = f.slice(f.lastIndexOf('/') + 1);
        const list = byName.get(name) ?? [];
        list.push(f);
        byName.set(name, list);
      }
    }
    const name = tail.slice(tail.lastIndexOf('/') + 1);
    const hits = (byName.get(name) ?? []).filter((f) => f === tail || f.endsWith(`/${tail}`));
    return hits.length === 1 ? hits[0] : undefined;
  };
  return { root, exists, findBySuffix };
}

function normalizeRel(f: string): string {
  return toSlashes(f).replace(/^\.\//, '');
}
