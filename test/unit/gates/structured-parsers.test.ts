/**
 * Edge cases of the structured parsers and test-name matchers that the captures do not show: rustc JSON
 * macro spans and junk lines, pytest run from a subdirectory and native tracebacks, jest frames in
 * node_modules and Console blocks, vitest's older reporter, cargo's quiet mode, legacy Rust panics.
 */
import * as assert from 'node:assert/strict';
import {
  cargoTestStdoutMatcher,
  jestMatcher,
  pytestMatcher,
  rustcJsonMatcher,
  rustPanicLegacyMatcher,
  vitestMatcher,
} from '../../../src/core/gates/builtin-matchers';
import { failingTestNames } from '../../../src/core/gates/failing-tests';
import { matchOutput } from '../../../src/core/gates/matcher-session';
import type { MatcherSpec } from '../../../src/core/gates/matcher-spec';
import { parseFrame } from '../../../src/core/gates/parsers/jest';
import { parseVitestFrame } from '../../../src/core/gates/parsers/vitest';

const ROOT = '/work/proj';
const run = (m: MatcherSpec, lines: string[], cwd?: string) =>
  matchOutput(lines.join('\n'), [m], { root: ROOT, ...(cwd ? { cwd } : {}) });

function rustMessage(message: object): string {
  return JSON.stringify({ reason: 'compiler-message', package_id: 'x', message });
}

describe('structured parsers', () => {
  describe('rustc JSON', () => {
    it('reports a macro-internal span at its call site and skips non-primary spans', () => {
      const line = rustMessage({
        message: 'format argument must be a string literal',
        level: 'error',
        code: null,
        spans: [
          { file_name: 'src/lib.rs', line_start: 9, line_end: 9, column_start: 1, column_end: 4, is_primary: false },
          {
            file_name: '<std macros>',
            line_start: 1,
            line_end: 1,
            column_start: 1,
            column_end: 2,
            is_primary: true,
            expansion: {
              span: { file_name: 'src/main.rs', line_start: 4, line_end: 4, column_start: 5, column_end: 18 },
            },
          },
        ],
      });
      const r = run(rustcJsonMatcher, [line]);
      assert.deepEqual(r.diagnostics, [
        {
          file: 'src/main.rs',
          line: 4,
          column: 5,
          endLine: 4,
          endColumn: 18,
          severity: 'error',
          message: 'format argument must be a string literal',
          source: 'rustc',
        },
      ]);
    });

    it('maps levels, keeps clippy codes, ignores spanless messages, junk and other cargo records', () => {
      const r = run(rustcJsonMatcher, [
        rustMessage({
          message: 'unneeded `return` statement',
          level: 'warning',
          code: { code: 'clippy::needless_return', explanation: null },
          spans: [
            { file_name: 'src/a.rs', line_start: 2, line_end: 2, column_start: 5, column_end: 14, is_primary: true },
          ],
        }),
        rustMessage({ message: 'aborting due to 1 previous error', level: 'error', code: null, spans: [] }),
        rustMessage({ message: 'x', level: 'failure-note', code: null, spans: [] }),
        '{"reason":"build-finished","success":false}',
        '{"reason":"compiler-message", broken json',
        'plain text',
        JSON.stringify({
          $message_type: 'diagnostic',
          message: 'bare rustc --error-format=json',
          level: 'note',
          code: null,
          spans: [
            { file_name: 'src/b.rs', line_start: 1, line_end: 1, column_start: 1, column_end: 2, is_primary: true },
          ],
        }),
      ]);
      assert.deepEqual(
        r.diagnostics.map((d) => `${d.file}:${d.line} ${d.severity} ${d.code ?? '-'} ${d.message}`),
        [
          'src/a.rs:2 warning clippy::needless_return unneeded `return` statement',
          'src/b.rs:1 info - bare rustc --error-format=json',
        ],
      );
    });
  });

  describe('pytest', () => {
    it('resolves paths against the rootdir pytest prints, wherever it ran from', () => {
      const out = [
        'rootdir: /work/proj/backend',
        '=== FAILURES ===',
        '___ test_sum ___',
        'E   assert 1 == 2',
        'tests/test_sum.py:3: AssertionError',
        '=== short test summary info ===',
        'FAILED tests/test_sum.py::test_sum - assert 1 == 2',
        '=== 1 failed ===',
      ];
      const r = run(pytestMatcher, out, '/work/proj/backend/tests');
      assert.equal(r.diagnostics[0]!.file, 'backend/tests/test_sum.py');
      assert.deepEqual(r.failedTests, [
        {
          id: 'tests/test_sum.py::test_sum',
          source: 'pytest',
          file: 'backend/tests/test_sum.py',
          message: 'assert 1 == 2',
        },
      ]);
    });

    it('reads --tb=native tracebacks: the deepest project frame and the final exception line', () => {
      const out = [
        '=== FAILURES ===',
        '___ test_parse ___',
        'Traceback (most recent call last):',
        '  File "/usr/lib/python3/site-packages/_pytest/runner.py", line 341, in from_call',
        '    result = func()',
        '  File "/work/proj/tests/test_parse.py", line 8, in test_parse',
        '    parse("x")',
        '  File "/work/proj/app/parse.py", line 3, in parse',
        '    return int(text)',
        "ValueError: invalid literal for int() with base 10: 'x'",
        '=== 1 failed ===',
      ];
      const r = run(pytestMatcher, out);
      assert.deepEqual(
        r.diagnostics.map((d) => `${d.file}:${d.line} ${d.code} ${d.message}`),
        ["app/parse.py:3 ValueError test_parse: ValueError: invalid literal for int() with base 10: 'x'"],
      );
    });

    it('keeps errors at setup as failing tests, not collection errors', () => {
      const ids = failingTestNames(
        [
          '=== short test summary info ===',
          'ERROR tests/test_db.py::test_query - ConnectionError: refused',
          'ERROR tests/test_broken.py',
          'FAILED tests/test_x.py::TestA::test_b[case one] - AssertionError',
          '=== 1 failed, 1 error ===',
        ].join('\n'),
      );
      assert.deepEqual(ids, ['tests/test_db.py::test_query', 'tests/test_x.py::TestA::test_b[case one]']);
    });
  });

  describe('jest', () => {
    it('skips node_modules frames and Console blocks, and keeps the test file line', () => {
      const out = [
        'FAIL src/api.test.ts (5.2 s)',
        '  ● Console',
        '',
        '    console.log',
        '      hello',
        '',
        '      at Object.log (src/api.test.ts:3:11)',
        '',
        '  ● api › fetches',
        '',
        '    TypeError: Cannot read properties of undefined',
        '',
        '      at get (node_modules/axios/lib/core.js:10:5)',
        '      at fetchUser (src/api.ts:12:3)',
        '      at Object.<anonymous> (src/api.test.ts:20:7)',
        '',
        'Test Suites: 1 failed, 1 total',
      ];
      const r = run(jestMatcher, out);
      assert.deepEqual(
        r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`),
        ['src/api.ts:12:3 api › fetches: TypeError: Cannot read properties of undefined'],
      );
      assert.deepEqual(r.failedTests, [
        {
          id: 'api fetches',
          source: 'jest',
          file: 'src/api.test.ts',
          line: 20,
          message: 'TypeError: Cannot read properties of undefined',
        },
      ]);
    });
  });

  describe('V8 stack frames', () => {
    it('reads `at fn (file:l:c)` and `at file:l:c`, Windows paths included, and nothing else', () => {
      assert.deepEqual(parseFrame('    at Object.<anonymous> (src/a.test.js:5:17)'), {
        file: 'src/a.test.js',
        line: 5,
        column: 17,
      });
      assert.deepEqual(parseFrame('      at src/a.js:2:3'), { file: 'src/a.js', line: 2, column: 3 });
      assert.deepEqual(parseFrame('  at fn (C:\\proj\\a.js:4:1)'), { file: 'C:\\proj\\a.js', line: 4, column: 1 });
      assert.deepEqual(parseFrame('  at async run (file:///proj/a.mjs:9:9) '), {
        file: 'file:///proj/a.mjs',
        line: 9,
        column: 9,
      });
      for (const line of [
        'at a.js:1:1',
        '    at new Promise (<anonymous>)',
        '    at x (a.js:1)',
        '    at x (a.js:b:1)',
        '    at (((:1:1)',
        'src/a.js:1:1',
      ]) {
        assert.equal(parseFrame(line), undefined, line);
      }
    });
  });

  describe('vitest frames', () => {
    it('reads ` ❯ [fn] file:l:c` and nothing else', () => {
      assert.deepEqual(parseVitestFrame(' ❯ test/a.test.ts:7:45'), { file: 'test/a.test.ts', line: 7, column: 45 });
      assert.deepEqual(parseVitestFrame(' ❯ add src/math.ts:2:10 '), { file: 'src/math.ts', line: 2, column: 10 });
      for (const line of [' ❯ test/a.test.ts (5 tests | 4 failed) 8ms', 'x ❯ a.ts:1:1', ' ❯ ', ' ❯ a.ts:1']) {
        assert.equal(parseVitestFrame(line), undefined, line);
      }
    });
  });

  describe('vitest', () => {
    it('reads the vitest 1–3 layout (no color, relative frames with function names)', () => {
      const out = [
        ' RUN  v1.6.0 /work/proj/web',
        '',
        '⎯⎯⎯⎯⎯⎯⎯ Failed Tests 1 ⎯⎯⎯⎯⎯⎯⎯',
        '',
        ' FAIL  src/math.test.ts > math > adds',
        'AssertionError: expected 3 to be 4 // Object.is equality',
        ' ❯ add src/math.ts:2:10',
        ' ❯ src/math.test.ts:5:12',
        '',
        '⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯[1/1]⎯',
        ' Test Files  1 failed (1)',
      ];
      const r = run(vitestMatcher, out, '/work/proj');
      assert.deepEqual(
        r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}`),
        ['web/src/math.ts:2:10'],
      );
      assert.deepEqual(
        r.failedTests.map((t) => [t.id, t.file]),
        [['math adds', 'web/src/math.test.ts']],
      );
    });
  });

  describe('Rust test names and panics', () => {
    it('reads `cargo test -q` failures from the stdout sections', () => {
      assert.deepEqual(
        run(cargoTestStdoutMatcher, ['---- tests::a stdout ----', '---- parser::tests::b stdout ----']).failedTests.map(
          (t) => t.id,
        ),
        ['tests::a', 'parser::tests::b'],
      );
    });

    it('reads the pre-1.73 one-line panic', () => {
      const r = run(rustPanicLegacyMatcher, ["thread 'main' panicked at 'index out of bounds', src/main.rs:5:9"]);
      assert.deepEqual(
        r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`),
        ['src/main.rs:5:9 index out of bounds'],
      );
    });
  });

  describe('failingTestNames', () => {
    it('accepts a match result, a list of failed tests or raw output, and removes duplicates', () => {
      const tests = [
        { id: 'a', source: 'jest' },
        { id: 'b', source: 'jest' },
        { id: 'a', source: 'jest' },
      ];
      assert.deepEqual(failingTestNames(tests), ['a', 'b']);
      assert.deepEqual(failingTestNames({ diagnostics: [], failedTests: tests, dropped: 0, lines: 0 }), ['a', 'b']);
      assert.deepEqual(failingTestNames('--- FAIL: TestX (0.01s)\n    --- FAIL: TestX/sub (0.00s)\nok'), [
        'TestX',
        'TestX/sub',
      ]);
      assert.deepEqual(failingTestNames(''), []);
    });
  });
});
