/**
 * Jest's default reporter. A failing test prints a block:
 *
 *     FAIL test/cart.test.js
 *       ● cart › total › sums price times quantity
 *
 *         expect(received).toBe(expected) // Object.is equality
 *         …code frame…
 *         at Object.toBe (test/cart.test.js:6:45)
 *
 * The failing test's id is its full name as `jest -t` matches it (the titles joined with spaces); the
 * problem sits at the first stack frame in project code (not node_modules), with the block's first message
 * lines. `● Test suite failed to run` blocks (syntax errors, missing modules) become problems at the
 * frame or at Babel's `SyntaxError: file: message (line:column)`; `● Console` blocks are ignored.
 */
import type { ParserSink, StructuredParser } from './structured-parser';
import { joinMessage } from './structured-parser';

const FILE_HEADER = /^\s*(?:FAIL|PASS)\s+(\S.*)$/;
const TIMING = /^\d[\d.]*\s*m?s$/;
const BLOCK_HEADER = /^\s+● (.+)$/;
const CODE_FRAME = /^\s*(?:>\s*)?\d+ \|/;
const CARET_LINE = /^\s+\|/;
const BABEL_SYNTAX = /^\s*SyntaxError: ((?:[A-Za-z]:)?[^:]+): (.+) \((\d+):(\d+)\)$/;
const END = /^(?:Test Suites:|Summary of all failing tests|Ran all test suites)/;
const SUITE_FAILED = 'Test suite failed to run';

interface Block {
  title: string;
  isSuite: boolean;
  file: string | undefined;
  message: string[];
  messageDone: boolean;
  place?: { file: string; line: number; column: number };
  /** The first frame in the test's own file: where the test failed, even when it threw from elsewhere. */
  testLine?: number;
}

export function createJestParser(sink: ParserSink): StructuredParser {
  let file: string | undefined;
  let block: Block | undefined;

  const finish = (): void => {
    const b = block;
    block = undefined;
    if (!b) return;
    if (!b.isSuite) {
      sink.failedTest({
        id: b.title.split(' › ').join(' '),
        ...(b.file ? { file: b.file } : {}),
        ...(b.testLine !== undefined ? { line: b.testLine } : {}),
        ...(b.message[0] ? { message: b.message[0] } : {}),
      });
    }
    if (!b.place) return;
    sink.problem({
      file: b.place.file,
      location: { line: b.place.line, column: b.place.column, endLine: b.place.line, endColumn: b.place.column },
      severity: 'error',
      message: joinMessage(b.title, b.message),
    });
  };

  return {
    push(line: string): void {
      const fh = FILE_HEADER.exec(line);
      if (fh) {
        finish();
        file = stripTiming(fh[1]!.trimEnd());
        return;
      }
      if (END.test(line)) {
        finish();
        return;
      }
      const bh = BLOCK_HEADER.exec(line);
      if (bh) {
        finish();
        const title = bh[1]!.trim();
        if (title === 'Console') return;
        block = { title, isSuite: title === SUITE_FAILED, file, message: [], messageDone: false };
        sink.claim();
        return;
      }
      const b = block;
      if (!b) return;
      const frame = parseFrame(line);
      if (frame) {
        sink.claim();
        b.messageDone = true;
        if (!b.place && sink.isProjectCode(frame.file)) b.place = frame;
        if (b.testLine === undefined && b.file !== undefined && frame.file === b.file) b.testLine = frame.line;
        return;
      }
      const syntax = BABEL_SYNTAX.exec(line);
      if (syntax) {
        sink.claim();
        if (!b.place && sink.isProjectCode(syntax[1]!)) {
          b.place = { file: syntax[1]!, line: Number(syntax[3]), column: Number(syntax[4]) + 1 };
        }
        if (!b.messageDone) b.message.push(`SyntaxError: ${syntax[2]}`);
        return;
      }
      if (CODE_FRAME.test(line) || (b.message.length > 0 && CARET_LINE.test(line))) {
        b.messageDone = true;
        return;
      }
      if (!b.messageDone) {
        const text = line.trim();
        if (text) b.message.push(text);
      }
    },
    end(): void {
      finish();
    },
  };
}

/** `src/a.test.ts (5.2 s)` → `src/a.test.ts`. */
function stripTiming(text: string): string {
  if (!text.endsWith(')')) return text;
  const open = text.lastIndexOf('(');
  return open > 0 && TIMING.test(text.slice(open + 1, -1)) ? text.slice(0, open).trimEnd() : text;
}

/**
 * A V8 stack frame, `at fn (file:line:col)` or `at file:line:col`, read from its end in linear time (a regex
 * with two lazy groups backtracks quadratically on long hostile lines).
 */
export function parseFrame(line: string): { file: string; line: number; column: number } | undefined {
  let start = 0;
  while (start < line.length && (line.charCodeAt(start) === 32 || line.charCodeAt(start) === 9)) start++;
  if (start === 0 || !line.startsWith('at ', start)) return undefined;
  let end = line.length;
  while (end > start && line.charCodeAt(end - 1) === 32) end--;
  const wrapped = line.charCodeAt(end - 1) === 41; /* ) */
  if (wrapped) end--;
  const colSep = line.lastIndexOf(':', end - 1);
  const lineSep = colSep > 0 ? line.lastIndexOf(':', colSep - 1) : -1;
  if (lineSep <= start) return undefined;
  const column = line.slice(colSep + 1, end);
  const lineNo = line.slice(lineSep + 1, colSep);
  if (!/^\d+$/.test(column) || !/^\d+$/.test(lineNo)) return undefined;
  const open = wrapped ? line.lastIndexOf('(', lineSep) : -1;
  const fileStart = wrapped ? open + 1 : start + 3;
  if (wrapped && open < 0) return undefined;
  const file = line.slice(fileStart, lineSep);
  if (!file || file.includes('(')) return undefined;
  return { file, line: Number(lineNo), column: Number(column) };
}
