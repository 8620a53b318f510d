/**
 * Vitest's default reporter. Failures are printed as blocks:
 *
 *      FAIL  test/cart.test.ts > cart > total > sums price times quantity
 *     AssertionError: expected 7 to be 6 // Object.is equality
 *     …diff…
 *      ❯ test/cart.test.ts:7:45
 *     ⎯⎯⎯⎯⎯[1/5]⎯
 *
 * The failing test's id is its full name as `vitest -t` matches it (suite and test titles joined with spaces);
 * the problem sits at the first `❯ file:line:col` frame in project code. Suite failures
 * (` FAIL  file [ file ]`: a transform or import error) take their place from the frame or from the
 * `╭─[ file:line:col ]` of the code frame. `RUN v… <root>` gives the directory paths are relative to.
 */
import type { ParserSink, StructuredParser } from './structured-parser';
import { joinMessage } from './structured-parser';

const RUN = /^\s*RUN\s+v\d\S*\s+(\S(?:.*\S)?)\s*$/;
const TEST_HEADER = /^\s*FAIL\s+(\S+(?: \S+)*?) > (\S(?:.*\S)?)\s*$/;
const SUITE_HEADER = /^\s*FAIL\s+(\S+(?: \S+)*?)(?: \[ ?[^[\]]*\])?\s*$/;
const BOX_LOCATION = /╭─+\[\s*(\S+?):(\d+):(\d+)\s*\]/;
const SEPARATOR = /^⎯{3,}/;
const END = /^\s*(?:Test Files|Tests)\s+\d/;
const CODE_FRAME = /^\s*(?:\d+\s*)?[|│]|^\s*[╭╰─┬│]/;

interface Block {
  id: string | undefined;
  /** The titles as vitest shows them, `cart > total > sums…`. */
  title: string | undefined;
  file: string;
  message: string[];
  messageDone: boolean;
  place?: { file: string; line: number; column: number };
}

export function createVitestParser(sink: ParserSink): StructuredParser {
  let root: string | undefined;
  let block: Block | undefined;

  const finish = (): void => {
    const b = block;
    block = undefined;
    if (!b) return;
    const base = root ? { base: root } : {};
    if (b.id) {
      sink.failedTest({
        id: b.id,
        file: b.file,
        ...(b.place && b.place.file === b.file ? { line: b.place.line } : {}),
        ...(b.message[0] ? { message: b.message[0] } : {}),
        ...base,
      });
    }
    if (!b.place) return;
    sink.problem({
      file: b.place.file,
      location: { line: b.place.line, column: b.place.column, endLine: b.place.line, endColumn: b.place.column },
      severity: 'error',
      message: joinMessage(b.title, b.message),
      ...base,
    });
  };

  return {
    push(line: string): void {
      if (root === undefined) {
        const r = RUN.exec(line);
        if (r) {
          root = r[1];
          return;
        }
      }
      if (line.includes('FAIL')) {
        const t = TEST_HEADER.exec(line);
        if (t) {
          finish();
          sink.claim();
          const titles = t[2]!.split(' > ');
          block = { id: titles.join(' '), title: titles.join(' > '), file: t[1]!, message: [], messageDone: false };
          return;
        }
        const s = SUITE_HEADER.exec(line);
        if (s) {
          finish();
          sink.claim();
          block = { id: undefined, title: undefined, file: s[1]!, message: [], messageDone: false };
          return;
        }
      }
      if (SEPARATOR.test(line) || END.test(line)) {
        finish();
        return;
      }
      const b = block;
      if (!b) return;
      const frame = parseVitestFrame(line);
      if (frame) {
        sink.claim();
        b.messageDone = true;
        if (!b.place && sink.isProjectCode(frame.file, root)) b.place = frame;
        return;
      }
      const box = BOX_LOCATION.exec(line);
      if (box) {
        sink.claim();
        b.messageDone = true;
        if (!b.place && sink.isProjectCode(box[1]!, root)) {
          b.place = { file: box[1]!, line: Number(box[2]), column: Number(box[3]) };
        }
        return;
      }
      if (b.messageDone || CODE_FRAME.test(line)) {
        if (CODE_FRAME.test(line)) b.messageDone = true;
        return;
      }
      const text = line.trim();
      if (text) b.message.push(text);
    },
    end(): void {
      finish();
    },
  };
}

const LOCATION_TOKEN = /^(.+):(\d+):(\d+)$/;

/** ` ❯ [fn] file:line:col` — the last word after the arrow, read without backtracking over the line. */
export function parseVitestFrame(line: string): { file: string; line: number; column: number } | undefined {
  const arrow = line.indexOf('❯');
  if (arrow < 0 || line.slice(0, arrow).trim() !== '') return undefined;
  const rest = line.slice(arrow + 1).trimEnd();
  const token = rest.slice(rest.lastIndexOf(' ') + 1);
  if (!token || token.length === rest.length) return undefined;
  const m = LOCATION_TOKEN.exec(token);
  return m ? { file: m[1]!, line: Number(m[2]), column: Number(m[3]) } : undefined;
}
