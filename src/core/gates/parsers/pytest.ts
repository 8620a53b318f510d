/**
 * pytest's terminal report. Reads:
 * - `rootdir: …` — the directory pytest prints node ids and relative paths against;
 * - the FAILURES and ERRORS sections, block by block (`____ test_add ____`, `____ ERROR collecting x.py ____`),
 *   in the `long` (default), `short`, `line` and `native` traceback styles: the `E   …` lines are the message,
 *   the place is the crash line `path:line: ExceptionType` when it is project code, else a `SyntaxError`'s
 *   `File "…", line N`, else the deepest traceback frame in project code;
 * - the short test summary (`FAILED tests/test_x.py::test_y - msg`, `ERROR …::…`) and `-v` progress lines
 *   (`tests/test_x.py::test_y FAILED`) — the failing test node ids.
 * One problem per failure block: message `<block title>: <E lines>`, code the exception type.
 */
import { WHOLE_LINE_END_COLUMN } from '../diagnostic';
import type { ParserSink, StructuredParser } from './structured-parser';
import { joinMessage } from './structured-parser';

type Section = 'none' | 'failures' | 'errors' | 'summary' | 'other';

interface Place {
  file: string;
  line: number;
}

interface Block {
  title: string;
  eLines: string[];
  crash?: Place & { exception: string };
  syntax?: Place;
  projectFrame?: Place;
  anyFrame?: Place;
  exception?: string;
  /** Non-E lines of a native traceback's final `Type: message`. */
  nativeMessage?: string;
}

const SECTION = /^={3,} (.+?) ={3,}$/;
const BLOCK = /^_{2,} (.+?) _{2,}$/;
const ROOTDIR = /^rootdir: (.+?)(?:, (?:inifile|configfile|testpaths):.*)?$/;
const FILE_PART = String.raw`((?:[A-Za-z]:)?[^:\s][^:]*?)`;
/** `path:line: ExceptionType` (long), or with `: message` (`--tb=line`). */
const CRASH = new RegExp(`^${FILE_PART}:(\\d+): ([A-Za-z_][\\w.]*)(?:: (.*))?$`);
/** `path:line: ` (long, an intermediate frame) or `path:line: in func` (short). */
/** `--tb=line`: `path:line: message`. */
const TB_LINE = new RegExp(`^${FILE_PART}:(\\d+): (\\S.*)$`);
const FRAME = new RegExp(`^${FILE_PART}:(\\d+):(?: in \\S.*| ?)$`);
const NATIVE_FRAME = /^\s*File "(.+?)", line (\d+)(?:, in .*)?$/;
const EXCEPTION_LINE = /^([A-Za-z_][\w.]*(?:Error|Exception|Warning|Exit|Interrupt|Failed|Failure|Timeout)):?(?:\s|$)/;
const SUMMARY = /^(FAILED|ERROR) (.+?)(?: - (.*))?$/;
const VERBOSE_FAILED = /^(\S+?::\S.*?) (?:FAILED|ERROR)(?:\s+\[\s*\d+%\])?$/;

export function createPytestParser(sink: ParserSink): StructuredParser {
  let section: Section = 'none';
  let rootdir: string | undefined;
  let block: Block | undefined;

  const finish = (): void => {
    const b = block;
    block = undefined;
    if (!b) return;
    const place = choosePlace(b, sink, rootdir);
    if (!place) return;
    const lines = messageLines(b);
    sink.problem({
      file: place.file,
      location: { line: place.line, column: 1, endLine: place.line, endColumn: WHOLE_LINE_END_COLUMN },
      severity: 'error',
      message: joinMessage(b.title, lines.length > 0 ? lines : [b.crash?.exception ?? 'failed']),
      ...(exceptionOf(b) ? { code: exceptionOf(b) } : {}),
      ...(rootdir ? { base: rootdir } : {}),
    });
  };

  return {
    push(line: string): void {
      const first = line.charCodeAt(0);
      if (first === 61 /* = */) {
        const s = SECTION.exec(line);
        if (s) {
          finish();
          const name = s[1]!.trim().toLowerCase();
          section =
            name === 'failures'
              ? 'failures'
              : name === 'errors'
                ? 'errors'
                : name === 'short test summary info'
                  ? 'summary'
                  : 'other';
          return;
        }
      }
      if (section === 'none' || section === 'other') {
        if (first === 114 /* r */ && section === 'none') {
          const r = ROOTDIR.exec(line);
          if (r) rootdir = r[1]!.trim();
        }
        const v = section === 'none' || section === 'other' ? VERBOSE_FAILED.exec(line) : null;
        if (v) {
          sink.claim();
          const id = v[1]!;
          sink.failedTest({ id, file: id.slice(0, id.indexOf('::')), ...(rootdir ? { base: rootdir } : {}) });
        }
        return;
      }
      if (section === 'summary') {
        const m = SUMMARY.exec(line);
        if (!m) return;
        sink.claim();
        const id = m[2]!;
        const sep = id.indexOf('::');
        if (sep < 0) return; // a collection error names a file, not a test
        sink.failedTest({
          id,
          file: id.slice(0, sep),
          ...(m[3] ? { message: m[3] } : {}),
          ...(rootdir ? { base: rootdir } : {}),
        });
        return;
      }
      // FAILURES / ERRORS
      if (first === 95 /* _ */) {
        const h = BLOCK.exec(line);
        if (h) {
          finish();
          block = { title: h[1]!, eLines: [] };
          return;
        }
      }
      if (first === 69 /* E */ && (line.length === 1 || line.charCodeAt(1) === 32)) {
        sink.claim();
        if (!block) return;
        const text = line.slice(1).replace(/^ {1,3}/, '');
        block.eLines.push(text);
        const f = NATIVE_FRAME.exec(text);
        if (f) block.syntax = { file: f[1]!, line: Number(f[2]) };
        return;
      }
      if (!block) {
        // --tb=line: one `path:line: message` line per failure, no block.
        const t = TB_LINE.exec(line);
        if (!t) return;
        sink.claim();
        const message = t[3]!.trim();
        const exception =
          EXCEPTION_LINE.exec(message)?.[1] ?? (message.startsWith('assert') ? 'AssertionError' : undefined);
        const lineNo = Number(t[2]);
        sink.problem({
          file: t[1]!,
          location: { line: lineNo, column: 1, endLine: lineNo, endColumn: WHOLE_LINE_END_COLUMN },
          severity: 'error',
          message,
          ...(exception ? { code: exception } : {}),
          ...(rootdir ? { base: rootdir } : {}),
        });
        return;
      }
      const crash = CRASH.exec(line);
      if (crash && crash[3] !== 'in') {
        sink.claim();
        block.crash = { file: crash[1]!, line: Number(crash[2]), exception: crash[3]! };
        if (crash[4] !== undefined && block.eLines.length === 0) block.eLines.push(`${crash[3]}: ${crash[4]}`);
        return;
      }
      const frame = FRAME.exec(line) ?? NATIVE_FRAME.exec(line);
      if (frame) {
        sink.claim();
        const place = { file: frame[1]!, line: Number(frame[2]) };
        block.anyFrame = place;
        if (sink.isProjectCode(place.file, rootdir)) block.projectFrame = place;
        return;
      }
      // A native traceback ends with an unindented `Type: message`.
      if (first !== 32 && EXCEPTION_LINE.test(line)) block.nativeMessage = line;
    },
    end(): void {
      finish();
    },
  };
}

function choosePlace(b: Block, sink: ParserSink, rootdir: string | undefined): Place | undefined {
  if (b.crash && sink.isProjectCode(b.crash.file, rootdir)) return b.crash;
  if (b.syntax && sink.isProjectCode(b.syntax.file, rootdir)) return b.syntax;
  return b.projectFrame ?? b.crash ?? b.syntax;
}

function messageLines(b: Block): string[] {
  const lines = b.eLines.map((l) => l.trim()).filter((l) => l.length > 0);
  if (b.syntax) {
    // A SyntaxError's E lines quote the source and a caret: keep the `SyntaxError: …` line.
    const exc = lines.filter((l) => EXCEPTION_LINE.test(l));
    if (exc.length > 0) return [exc[exc.length - 1]!];
  }
  if (lines.length === 0 && b.nativeMessage) return [b.nativeMessage];
  return lines;
}

function exceptionOf(b: Block): string | undefined {
  if (b.crash) return b.crash.exception;
  for (let i = b.eLines.length - 1; i >= 0; i--) {
    const m = EXCEPTION_LINE.exec(b.eLines[i]!.trim());
    if (m) return m[1];
  }
  const native = b.nativeMessage ? EXCEPTION_LINE.exec(b.nativeMessage) : null;
  if (native) return native[1];
  if (b.eLines[0]?.trim().startsWith('assert')) return 'AssertionError';
  return undefined;
}
