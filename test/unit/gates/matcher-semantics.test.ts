/**
 * The problem-matcher engine's semantics, independent of any tool: VS Code's line matchers and collector,
 * severity mapping, locations, ANSI stripping, de-duplication and the streaming session's bounds.
 */
import * as assert from 'node:assert/strict';
import { WHOLE_LINE_END_COLUMN } from '../../../src/core/gates/diagnostic';
import { cleanLine, createMatcherSession, matchOutput } from '../../../src/core/gates/matcher-session';
import type { MatcherSpec } from '../../../src/core/gates/matcher-spec';
import { severityFromValue } from '../../../src/core/gates/severity';

const ROOT = '/work/proj';

function run(matchers: MatcherSpec[], lines: string[], options: Partial<Parameters<typeof matchOutput>[2]> = {}) {
  return matchOutput(lines.join('\n'), matchers, { root: ROOT, ...options });
}

/** `file:line:col: severity: message` with every group. */
const simple: MatcherSpec = {
  name: 'simple',
  source: 'simple',
  pattern: { regexp: '^(.+?):(\\d+):(\\d+): (\\w+): (.*)$', file: 1, line: 2, column: 3, severity: 4, message: 5 },
};

/** A file line followed by looping `line:col message` lines (the eslint-stylish / jshint-stylish shape). */
const looping: MatcherSpec = {
  name: 'looping',
  source: 'loop',
  pattern: [
    { regexp: '^([./].*)$', file: 1 },
    {
      regexp: '^\\s+(\\d+):(\\d+)\\s+(error|warning)\\s+(.+)$',
      line: 1,
      column: 2,
      severity: 3,
      message: 4,
      loop: true,
    },
  ],
};

describe('problem matchers: VS Code semantics', () => {
  describe('single-line patterns', () => {
    it('captures file, position, severity and message, making the file project-relative', () => {
      const r = run([simple], ['src/a.ts:3:7: warning: unused x']);
      assert.deepEqual(r.diagnostics, [
        {
          file: 'src/a.ts',
          line: 3,
          column: 7,
          endLine: 3,
          endColumn: 7,
          severity: 'warning',
          message: 'unused x',
          source: 'simple',
        },
      ]);
    });

    it('applies VS Code defaults: file 1, line 2, column 3, message 0 (the whole match)', () => {
      const m: MatcherSpec = { name: 'defaults', source: 'd', pattern: { regexp: '^(\\S+) (\\d+) (\\d+) .*$' } };
      const r = run([m], ['lib.c 4 2 broken here']);
      assert.equal(r.diagnostics[0]!.file, 'lib.c');
      assert.equal(r.diagnostics[0]!.line, 4);
      assert.equal(r.diagnostics[0]!.column, 2);
      assert.equal(r.diagnostics[0]!.message, 'lib.c 4 2 broken here');
    });

    it('gives no problem without a file, a location or a non-empty message', () => {
      const m: MatcherSpec = {
        name: 'opt',
        source: 'opt',
        pattern: {
          regexp: '^(?:F=(\\S+) )?(?:L=(\\d+) )?(?:C=(\\d+) )?M=(.*)$',
          file: 1,
          line: 2,
          column: 3,
          message: 4,
        },
      };
      assert.equal(run([m], ['F=a.c L=1 C=2 M=fine']).diagnostics.length, 1);
      assert.equal(run([m], ['L=3 C=4 M=no file']).diagnostics.length, 0, 'no file');
      assert.equal(run([m], ['F=a.c M=no line']).diagnostics.length, 0, 'no location');
      assert.equal(run([m], ['F=a.c L=1 C=2 M=   ']).diagnostics.length, 0, 'an empty message');
    });

    it('trims file, severity, code and message', () => {
      const m: MatcherSpec = {
        name: 't',
        source: 't',
        pattern: {
          regexp: '^(.*)\\|(\\d+)\\|(\\d+)\\|(.*)\\|(.*)\\|(.*)$',
          file: 1,
          line: 2,
          column: 3,
          severity: 4,
          code: 5,
          message: 6,
        },
      };
      const d = run([m], ['  a.c  |3|4|  warning |  C1  |  hello  ']).diagnostics[0]!;
      assert.deepEqual([d.file, d.severity, d.code, d.message], ['a.c', 'warning', 'C1', 'hello']);
    });
  });

  describe('locations', () => {
    const loc: MatcherSpec = {
      name: 'loc',
      source: 'loc',
      pattern: { regexp: '^(\\S+)\\(([\\d,]+)\\): (.*)$', file: 1, location: 2, message: 3 },
    };
    it('reads `l` as the whole line', () => {
      const d = run([loc], ['a.cs(12): bad']).diagnostics[0]!;
      assert.deepEqual([d.line, d.column, d.endLine, d.endColumn], [12, 1, 12, WHOLE_LINE_END_COLUMN]);
    });
    it('reads `l,c` as zero-width at the column', () => {
      const d = run([loc], ['a.cs(12,5): bad']).diagnostics[0]!;
      assert.deepEqual([d.line, d.column, d.endLine, d.endColumn], [12, 5, 12, 5]);
    });
    it('reads `l,c,el,ec` as a range', () => {
      const d = run([loc], ['a.cs(12,5,14,2): bad']).diagnostics[0]!;
      assert.deepEqual([d.line, d.column, d.endLine, d.endColumn], [12, 5, 14, 2]);
    });
    it('reads `l,c,x` (three numbers) as `l,c`, like VS Code', () => {
      const d = run([loc], ['a.cs(12,5,9): bad']).diagnostics[0]!;
      assert.deepEqual([d.line, d.column, d.endLine, d.endColumn], [12, 5, 12, 5]);
    });

    const groups: MatcherSpec = {
      name: 'groups',
      source: 'g',
      pattern: {
        regexp: '^([^:\\s]+):(\\d+)(?::(\\d+))?(?:-(\\d+)(?::(\\d+))?)?: (.*)$',
        file: 1,
        line: 2,
        column: 3,
        endLine: 4,
        endColumn: 5,
        message: 6,
      },
    };
    it('reads separate line/column/endLine/endColumn groups', () => {
      const d = run([groups], ['a.py:3:4-5:9: range']).diagnostics[0]!;
      assert.deepEqual([d.line, d.column, d.endLine, d.endColumn], [3, 4, 5, 9]);
    });
    it('line only is the whole line; an end line without end column is ignored (VS Code)', () => {
      const whole = run([groups], ['a.py:3: whole']).diagnostics[0]!;
      assert.deepEqual([whole.line, whole.column, whole.endLine, whole.endColumn], [3, 1, 3, WHOLE_LINE_END_COLUMN]);
      const endLineOnly = run([groups], ['a.py:3:4-5: x']).diagnostics[0]!;
      assert.deepEqual([endLineOnly.endLine, endLineOnly.endColumn], [3, 4]);
    });
    it('clamps line and column 0 to 1 (mcs prints column 0)', () => {
      const d = run([loc], ['a.cs(0,0): zero']).diagnostics[0]!;
      assert.deepEqual([d.line, d.column], [1, 1]);
    });
    it('adds one to the end column of an inclusiveEnd matcher', () => {
      const inclusive: MatcherSpec = { ...groups, name: 'incl', inclusiveEnd: true } as MatcherSpec;
      const d = run([inclusive], ['a.py:3:4-3:9: x']).diagnostics[0]!;
      assert.equal(d.endColumn, 10);
    });
    it('kind "file" needs no line: the problem is on the file', () => {
      const fileKind: MatcherSpec = {
        name: 'fk',
        source: 'fk',
        pattern: { regexp: '^missing license: (.*)$', kind: 'file', file: 1, message: 0 },
      };
      const d = run([fileKind], ['missing license: LICENSE.md']).diagnostics[0]!;
      assert.deepEqual([d.file, d.line, d.column], ['LICENSE.md', 1, 1]);
    });
  });

  describe('severity mapping', () => {
    it('follows Severity.fromValue, E/W/I letters, hint/note as info, then the default', () => {
      const table: [string | undefined, string][] = [
        ['error', 'error'],
        ['ERROR', 'error'],
        ['Warning', 'warning'],
        ['warn', 'warning'],
        ['info', 'info'],
        ['E', 'error'],
        ['W', 'warning'],
        ['I', 'info'],
        ['hint', 'info'],
        ['NOTE', 'info'],
        ['remark', 'info'],
        ['fatal error', 'error'],
        ['e', 'error'], // lowercase letters are not severities: the fallback (error) applies
        ['w', 'error'],
        ['bogus', 'error'],
        [undefined, 'error'],
      ];
      for (const [value, expected] of table) assert.equal(severityFromValue(value), expected, String(value));
      assert.equal(severityFromValue('bogus', 'warning'), 'warning');
      assert.equal(severityFromValue(undefined, 'info'), 'info');
    });

    it("uses the matcher's default severity when the pattern captures none", () => {
      const m: MatcherSpec = { ...simple, name: 'def', severity: 'warning' } as MatcherSpec;
      assert.equal(run([m], ['a.c:1:1: whatever: text']).diagnostics[0]!.severity, 'warning');
      assert.equal(run([simple], ['a.c:1:1: whatever: text']).diagnostics[0]!.severity, 'error');
    });
  });

  describe('multi-line patterns and loop', () => {
    it('loops over every following line the last pattern matches, each a problem', () => {
      const r = run(
        [looping],
        ['./src/a.js', '  1:2  error  first', '  3:4  warning  second', '', './src/b.js', '  5:6  error  third'],
      );
      assert.deepEqual(
        r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.message}`),
        ['src/a.js:1:2 error first', 'src/a.js:3:4 warning second', 'src/b.js:5:6 error third'],
      );
    });

    it('ends the loop at the first line that does not match, and tries that line against every matcher', () => {
      const r = run([looping, simple], ['./src/a.js', '  1:2  error  first', 'src/c.c:9:1: warning: after the loop']);
      assert.deepEqual(
        r.diagnostics.map((d) => `${d.source} ${d.file}:${d.line}`),
        ['loop src/a.js:1', 'simple src/c.c:9'],
      );
    });

    it('appends the message across patterns, one line each; other fields keep their first value', () => {
      const m: MatcherSpec = {
        name: 'two',
        source: 'two',
        pattern: [
          { regexp: '^(error|warning)\\[(\\w+)\\]: (.*)$', severity: 1, code: 2, message: 3 },
          { regexp: '^\\s*--> (.+):(\\d+):(\\d+)\\s+(.*)$', file: 1, line: 2, column: 3, message: 4 },
        ],
      };
      const d = run([m], ['warning[W1]: first part', '  --> src/x.rs:3:4   second part']).diagnostics[0]!;
      assert.equal(d.message, 'first part\nsecond part');
      assert.equal(d.code, 'W1');
      assert.equal(d.severity, 'warning');
    });

    it('needs the lines consecutively: an interrupted multi-line problem is not reported', () => {
      const m: MatcherSpec = {
        name: 'pair',
        source: 'pair',
        pattern: [
          { regexp: '^error: (.*)$', message: 1 },
          { regexp: '^ --> (.+):(\\d+):(\\d+)$', file: 1, line: 2, column: 3 },
        ],
      };
      assert.equal(run([m], ['error: lost', 'noise', ' --> a.rs:1:1']).diagnostics.length, 0);
      assert.equal(run([m], ['noise', 'error: found', ' --> a.rs:1:1']).diagnostics.length, 1);
    });

    it('tries longer patterns first on a full buffer, and a match clears the buffer', () => {
      const pair: MatcherSpec = {
        name: 'pair',
        source: 'pair',
        pattern: [
          { regexp: '^HEAD (.*)$', message: 1 },
          { regexp: '^(\\S+):(\\d+):(\\d+): (.*)$', file: 1, line: 2, column: 3, message: 4 },
        ],
      };
      const r = run([simple, pair], ['HEAD context', 'a.c:1:2: error: body', 'b.c:3:4: error: alone']);
      assert.deepEqual(
        r.diagnostics.map((d) => `${d.source}:${d.file}:${d.message.replace('\n', '|')}`),
        ['pair:a.c:context|error: body', 'simple:b.c:alone'],
      );
    });

    it('an incomplete looping line ends the loop (VS Code: next() returned no problem)', () => {
      const r = run([looping], ['./a.js', '  1:1  error  one', '  2:2  error  ', '  3:3  error  three']);
      // The third line has an empty message: the loop stops there; the fourth has no file line before it.
      assert.deepEqual(
        r.diagnostics.map((d) => d.line),
        [1],
      );
    });
  });

  describe('ANSI and terminal control sequences', () => {
    it('strips colors, OSC 8 hyperlinks and OSC 633 shell-integration marks before matching', () => {
      const colored =
        '\u001b[96msrc/a.ts\u001b[0m:\u001b[93m3\u001b[0m:\u001b[93m7\u001b[0m: \u001b[91merror\u001b[0m: bad';
      const link = '\u001b]8;;file:///work/proj/src/b.ts\u0007src/b.ts\u001b]8;;\u0007:1:2: warning: linked';
      const osc633 = '\u001b]633;A\u0007\u001b]633;B\u0007src/c.ts:4:5: info: marked\u001b]633;D;0\u0007';
      const r = run([simple], [colored, link, osc633]);
      assert.deepEqual(
        r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.message}`),
        ['src/a.ts:3:7 error bad', 'src/b.ts:1:2 warning linked', 'src/c.ts:4:5 info marked'],
      );
    });

    it('keeps what a terminal shows after carriage-return redraws, and drops a CRLF', () => {
      assert.equal(cleanLine('progress 10%\rprogress 100%\rsrc/a.c:1:1: error: x\r'), 'src/a.c:1:1: error: x');
      assert.equal(cleanLine('plain'), 'plain');
      assert.equal(run([simple], ['src/a.c:1:1: error: windows line\r']).diagnostics[0]!.message, 'windows line');
    });
  });

  describe('de-duplication', () => {
    it('reports an identical problem once (cargo prints warnings for each target)', () => {
      const r = run(
        [simple],
        ['a.c:1:1: warning: same', 'other', 'a.c:1:1: warning: same', 'a.c:1:1: warning: different'],
      );
      assert.equal(r.diagnostics.length, 2);
    });

    it('lets one output line yield problems from one matcher only, the first that reads it', () => {
      const generic: MatcherSpec = {
        name: 'generic',
        source: 'generic',
        pattern: { regexp: '^(\\S+):(\\d+):(\\d+): (.*)$', file: 1, line: 2, column: 3, message: 4 },
      };
      const r = run([simple, generic], ['a.c:1:1: error: x']);
      assert.deepEqual(
        r.diagnostics.map((d) => d.source),
        ['simple'],
      );
      // Structured parsers read first and claim their lines: a pytest crash line is not also a generic problem.
      const pytest: MatcherSpec = { name: 'pytest', source: 'pytest', parser: 'pytest' };
      const out = [
        '=== FAILURES ===',
        '___ test_x ___',
        'E   assert 1 == 2',
        'tests/test_x.py:3: AssertionError',
        '=== 1 failed in 0.1s ===',
      ];
      const both = run([pytest, generic], out);
      assert.deepEqual(
        both.diagnostics.map((d) => d.source),
        ['pytest'],
      );
    });
  });

  describe('the streaming session', () => {
    it('accepts OutputLine records from the process runner and reports diagnostics as they are read', () => {
      const seen: string[] = [];
      const session = createMatcherSession([simple], { root: ROOT, onDiagnostic: (d) => seen.push(d.file) });
      session.push({ stream: 'stderr', text: 'a.c:1:1: error: x', ts: 1 });
      assert.deepEqual(seen, ['a.c']);
      session.push({ stream: 'stdout', text: 'b.c:2:2: error: y', ts: 2 });
      const result = session.end();
      assert.deepEqual(seen, ['a.c', 'b.c']);
      assert.equal(result.lines, 2);
      assert.throws(() => session.push('late'), /already ended/);
      assert.deepEqual(session.end(), result, 'end() may be called again');
    });

    it('keeps memory bounded on a 200k-line output: capped diagnostics, counted drops, no buffer growth', () => {
      const session = createMatcherSession([looping, simple], { root: ROOT, maxDiagnostics: 100 });
      for (let i = 0; i < 200_000; i++) {
        session.push(i % 4 === 0 ? `src/f${i}.c:${i + 1}:1: error: problem ${i}` : `noise line ${i} with some text`);
      }
      const r = session.end();
      assert.equal(r.lines, 200_000);
      assert.equal(r.diagnostics.length, 100);
      assert.equal(r.dropped, 50_000 - 100);
    });

    it('does not try regular expressions on overlong lines; the JSON parser still reads them', () => {
      const long = `a.c:1:1: error: ${'x'.repeat(20_000)}`;
      assert.equal(run([simple], [long]).diagnostics.length, 0);
      assert.equal(run([simple], [long], { maxLineLength: 50_000 }).diagnostics.length, 1);
      const json = JSON.stringify({
        reason: 'compiler-message',
        message: {
          message: 'long',
          level: 'error',
          code: null,
          rendered: 'r'.repeat(40_000),
          spans: [
            { file_name: 'src/a.rs', line_start: 1, line_end: 1, column_start: 1, column_end: 2, is_primary: true },
          ],
        },
      });
      const rust: MatcherSpec = { name: 'rustc-json', source: 'rustc', parser: 'rustc-json' };
      assert.equal(run([rust], [json]).diagnostics.length, 1);
    });

    it('refuses a relative root', () => {
      assert.throws(() => createMatcherSession([simple], { root: 'relative/dir' }), /must be absolute/);
    });
  });
});
