import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { BUILTIN_MATCHERS, TOOL_MATCHERS } from '../../../src/core/gates/builtin-matchers';
import { classifyFailure } from '../../../src/core/gates/classify-failure';
import type { Diagnostic } from '../../../src/core/gates/diagnostic';
import { failingTestNames } from '../../../src/core/gates/failing-tests';
import { cleanLine, createMatcherSession, matchOutput } from '../../../src/core/gates/matcher-session';
import { pickMatchersDetailed } from '../../../src/core/gates/pick-matchers';
import {
  type GoldenCase,
  loadGoldenCases,
  projectFiles,
  readExpectation,
  runGolden,
} from '../../support/matcher-golden';

const cases = loadGoldenCases();

/** Tools the issue asks for, and the folders their captures live in. */
const REQUIRED: Record<string, string> = {
  tsc: 'tsc',
  eslint: 'eslint',
  go: 'go',
  rust: 'rust',
  gcc: 'gcc',
  msCompile: 'mscompile',
  pytest: 'pytest',
  ruff: 'ruff',
  mypy: 'mypy',
  flake8: 'flake8',
  jest: 'jest',
  vitest: 'vitest',
};

/**
 * An independent check of a hand-written expectation: the captured output (escape codes stripped) must show the
 * file's name, the line number and each line of the message, so an expectation cannot drift from the capture.
 */
function assertGrounded(c: GoldenCase, d: Diagnostic): void {
  const text = c.output.split('\n').map(cleanLine).join('\n');
  const where = `${c.id}: ${d.file}:${d.line}`;
  assert.ok(text.includes(path.posix.basename(d.file)), `${where}: file name not in the output`);
  assert.match(text, new RegExp(`\\b${d.line}\\b`), `${where}: line number not in the output`);
  const lines = d.message.split('\n').filter((l) => l !== '…');
  for (const line of lines) {
    if (text.includes(line.trim())) continue;
    // Test runners prefix the first line with the test's title (`cart › total › sums…: …`) and structured
    // parsers may drop a path from a line: each `: `-separated part must still be in the output.
    for (const part of line.split(': ')) {
      assert.ok(text.includes(part.trim()), `${where}: message part not in the output: ${JSON.stringify(part)}`);
    }
  }
}

describe('matcher golden tests (captured tool output)', () => {
  it('has captures, a command and an expectation for every tool the issue names', () => {
    const tools = new Set(cases.map((c) => c.tool));
    for (const [tool, folder] of Object.entries(REQUIRED)) {
      assert.ok(tools.has(folder), `no capture for ${tool} under test/fixtures/matchers/${folder}`);
    }
    for (const c of cases) {
      assert.ok(c.command, `${c.id}.cmd names no command`);
      assert.ok(c.toolVersion, `${c.id}.cmd names no tool version`);
      assert.ok(c.cwd.startsWith('/'), `${c.id}.cmd has no absolute cwd`);
      assert.ok(c.captured === 'real' || c.captured.startsWith('not captured: reconstructed from'), c.id);
      assert.ok(projectFiles(c.project).length > 0, `${c.id}: fixture project ${c.project} is missing`);
    }
    // Only ruff is reconstructed (PyPI unreachable on the capture machine); everything else is a real run.
    const reconstructed = [...new Set(cases.filter((c) => c.captured !== 'real').map((c) => c.tool))];
    assert.deepEqual(reconstructed, ['ruff']);
  });

  it('includes colored (ANSI) captures of tsc --pretty, jest and vitest', () => {
    for (const id of ['tsc/pretty', 'tsc/tsc7-pretty', 'jest/color', 'vitest/color', 'eslint/stylish-color']) {
      const c = cases.find((x) => x.id === id);
      assert.ok(c, `missing ${id}`);
      assert.ok(c.output.includes('\u001b['), `${id} has no escape sequences`);
    }
  });

  for (const c of cases) {
    describe(c.id, () => {
      it(`parses "${c.command}" as verified by hand`, () => {
        const expected = readExpectation(c);
        const result = runGolden(c);
        assert.deepEqual(result.diagnostics, expected.diagnostics);
        assert.deepEqual(result.failedTests, expected.failedTests);
        assert.equal(result.dropped, 0);
      });

      it('expectation is grounded in the captured text', () => {
        const expected = readExpectation(c);
        assert.ok(expected.diagnostics.length + expected.failedTests.length > 0, 'an empty expectation tests nothing');
        for (const d of expected.diagnostics) assertGrounded(c, d);
        for (const t of expected.failedTests) {
          const text = c.output.split('\n').map(cleanLine).join('\n');
          const shown = [t.id, ...t.id.split('::').slice(1), t.id.split(/\s+/).pop() ?? ''];
          assert.ok(
            shown.some((s) => s && text.includes(s)),
            `${c.id}: test ${t.id} not in the output`,
          );
        }
      });

      it('is picked by its command, not by the fallback', () => {
        const pick = pickMatchersDetailed(c.command);
        assert.equal(pick.fallback, false, `${c.command} fell back to every matcher`);
      });

      it('gives the same result streamed line by line, in arbitrary chunks', () => {
        const expected = readExpectation(c);
        const session = createMatcherSession(pickMatchersDetailed(c.command).matchers, {
          root: c.cwd,
          knownFiles: projectFiles(c.project),
        });
        // The runner hands over one line at a time; a stray multi-line chunk must still be split.
        const lines = c.output.split('\n');
        for (let i = 0; i < lines.length; i += 3) session.push(lines.slice(i, i + 3).join('\n'));
        const result = session.end();
        assert.deepEqual(result.diagnostics, expected.diagnostics);
      });

      it('the fallback (every matcher) finds the same problems without duplicates', () => {
        const expected = readExpectation(c);
        const result = matchOutput(c.output, BUILTIN_MATCHERS, { root: c.cwd, knownFiles: projectFiles(c.project) });
        // Positions only: a line two tools print alike (flake8 and ruff's concise format) may be read by either.
        const key = (d: Diagnostic): string => `${d.file}:${d.line}:${d.column}`;
        const keys = result.diagnostics.map(key);
        for (const d of expected.diagnostics) assert.ok(keys.includes(key(d)), `${c.id}: fallback missed ${key(d)}`);
        assert.equal(new Set(keys.map((k, i) => `${k}:${result.diagnostics[i]!.message}`)).size, keys.length);
        assert.deepEqual(
          result.failedTests.map((t) => t.id),
          expected.failedTests.map((t) => t.id),
        );
      });
    });
  }

  describe('on the captures: classification and test names', () => {
    const byId = (id: string): GoldenCase => {
      const c = cases.find((x) => x.id === id);
      assert.ok(c, id);
      return c;
    };
    const classify = (id: string, levelName: string): string => {
      const c = byId(id);
      const r = runGolden(c);
      return classifyFailure({
        levelName,
        command: c.command,
        exitCode: c.exit,
        diagnostics: r.diagnostics,
        failedTests: r.failedTests,
        outputTail: c.output.slice(-2000),
      });
    };

    it('classifies each capture by what failed', () => {
      assert.equal(classify('tsc/plain', 'Syntax & Style'), 'type');
      assert.equal(classify('tsc/syntax', 'Syntax & Style'), 'syntax');
      assert.equal(classify('eslint/stylish', 'Syntax & Style'), 'syntax'); // a parsing error is reported
      assert.equal(classify('eslint/compact', 'Syntax & Style'), 'syntax');
      assert.equal(classify('go/build', 'Build'), 'type');
      assert.equal(classify('go/vet', 'Syntax & Style'), 'lint');
      assert.equal(classify('go/test', 'Unit Tests'), 'test');
      assert.equal(classify('rust/build', 'Build'), 'type');
      assert.equal(classify('rust/build-json', 'Build'), 'type');
      assert.equal(classify('rust/test', 'Unit Tests'), 'test');
      assert.equal(classify('gcc/gcc', 'Build'), 'syntax'); // expected ';' before '}'
      assert.equal(classify('gcc/gcc-fatal', 'Build'), 'type');
      assert.equal(classify('mscompile/mcs-errors', 'Build'), 'type');
      assert.equal(classify('pytest/failures', 'Unit Tests'), 'test');
      assert.equal(classify('pytest/collection-errors', 'Unit Tests'), 'syntax');
      assert.equal(classify('mypy/plain', 'Syntax & Style'), 'type');
      assert.equal(classify('mypy/syntax', 'Syntax & Style'), 'syntax');
      assert.equal(classify('flake8/default', 'Syntax & Style'), 'syntax'); // E999
      assert.equal(classify('ruff/concise', 'Syntax & Style'), 'syntax'); // invalid-syntax
      // Both runs include a test file that does not parse: that comes first (its tests never ran).
      assert.equal(classify('jest/default', 'Unit Tests'), 'syntax');
      assert.equal(classify('vitest/plain', 'Unit Tests'), 'syntax');
    });

    it('lists the failing test ids from the raw output of each test runner', () => {
      assert.deepEqual(failingTestNames(byId('pytest/failures').output), [
        'tests/test_calc.py::test_add',
        'tests/test_calc.py::test_div[1-0]',
        'tests/test_calc.py::TestParse::test_word',
      ]);
      assert.deepEqual(failingTestNames(byId('jest/color').output), [
        'cart total sums price times quantity',
        'cart total is zero for an empty cart',
        'cart discount rejects unknown codes gracefully',
        'top-level failure',
      ]);
      assert.deepEqual(failingTestNames(byId('vitest/color').output), [
        'cart total sums price times quantity',
        'cart total is zero for an empty cart',
        'cart discount rejects unknown codes gracefully',
        'top-level failure',
      ]);
      assert.deepEqual(failingTestNames(byId('go/test').output), [
        'TestAdd',
        'TestAddTable',
        'TestAddTable/zero',
        'TestAddTable/ones',
        'TestDivPanics',
      ]);
      assert.deepEqual(failingTestNames(byId('rust/test').output), [
        'tests::adds_two_numbers',
        'tests::first_of_empty',
      ]);
      assert.deepEqual(failingTestNames(byId('tsc/plain').output), []);
    });

    it('each tool group reads its own captures', () => {
      assert.deepEqual(Object.keys(TOOL_MATCHERS).sort(), Object.keys(REQUIRED).sort());
    });
  });
});
