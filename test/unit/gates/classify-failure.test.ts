import * as assert from 'node:assert/strict';
import {
  classifyFailure,
  classifyFailureWithReason,
  type FailureInput,
  isSyntaxDiagnostic,
} from '../../../src/core/gates/classify-failure';
import type { Diagnostic } from '../../../src/core/gates/diagnostic';

function diag(
  source: string,
  code: string | undefined,
  message: string,
  severity: Diagnostic['severity'] = 'error',
): Diagnostic {
  return {
    file: 'a',
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
    severity,
    message,
    source,
    ...(code ? { code } : {}),
  };
}

function classify(partial: Partial<FailureInput>): string {
  return classifyFailure({ exitCode: 1, ...partial });
}

describe('classifyFailure', () => {
  describe('how the process ended', () => {
    it('timeout wins over everything', () => {
      assert.equal(
        classify({ timedOut: true, exitCode: null, signal: 'SIGKILL', diagnostics: [diag('ts', 'TS1005', 'x')] }),
        'timeout',
      );
    });

    it('a command that never ran is other, with the reason', () => {
      const r = classifyFailureWithReason({ exitCode: 127, command: 'tsc', outputTail: 'sh: 1: tsc: not found' });
      assert.deepEqual(r, { type: 'other', reason: 'exit 127: command not found' });
      assert.equal(classify({ exitCode: 126 }), 'other');
      assert.equal(classify({ exitCode: 127, spawnError: 'spawn ENOENT' }), 'other');
      assert.equal(classify({ cancelled: true, exitCode: null, signal: 'SIGINT' }), 'other');
      assert.equal(classify({ exitCode: 0 }), 'other');
    });

    it('a signal or a shell-reported 128+N death is a crash', () => {
      assert.equal(classify({ exitCode: null, signal: 'SIGSEGV' }), 'crash');
      assert.equal(
        classify({ exitCode: null, signal: 'SIGTERM' }),
        'crash',
        'killed from outside, not cancelled by us',
      );
      assert.equal(classify({ exitCode: 139 }), 'crash');
      assert.equal(classify({ exitCode: 134 }), 'crash');
      assert.equal(classify({ exitCode: 137 }), 'crash');
      assert.equal(
        classify({ exitCode: 130, levelName: 'Unit Tests' }),
        'test',
        '130 (SIGINT) alone is not read as a crash',
      );
      assert.match(classifyFailureWithReason({ exitCode: 139 }).reason, /SIGSEGV/);
    });

    it('a crash reported in the output tail is a crash', () => {
      for (const tail of [
        'Segmentation fault (core dumped)',
        'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
        'Fatal Python error: Aborted',
        "thread 'main' has overflowed its stack",
      ]) {
        assert.equal(classify({ outputTail: `...\n${tail}\n`, levelName: 'Unit Tests' }), 'crash', tail);
      }
    });
  });

  describe('from diagnostics', () => {
    it('TS1xxx is syntax, TS2xxx is type, module/config TS1xxx codes are not syntax', () => {
      assert.equal(
        classify({ diagnostics: [diag('ts', 'TS2322', 'x'), diag('ts', 'TS1005', "';' expected.")] }),
        'syntax',
      );
      assert.equal(classify({ diagnostics: [diag('ts', 'TS2322', 'x')] }), 'type');
      assert.equal(classify({ diagnostics: [diag('ts', 'TS1192', 'Module has no default export.')] }), 'type');
    });

    it('Python syntax errors from every tool are syntax', () => {
      assert.ok(
        isSyntaxDiagnostic(diag('pytest', 'SyntaxError', 'ERROR collecting x.py: SyntaxError: invalid syntax')),
      );
      assert.ok(isSyntaxDiagnostic(diag('flake8', 'E999', 'SyntaxError: invalid syntax')));
      assert.ok(isSyntaxDiagnostic(diag('ruff', 'invalid-syntax', 'Expected an expression')));
      assert.ok(isSyntaxDiagnostic(diag('mypy', 'syntax', 'invalid syntax')));
      assert.ok(isSyntaxDiagnostic(diag('pytest', 'IndentationError', 'IndentationError: unexpected indent')));
      assert.ok(!isSyntaxDiagnostic(diag('pytest', 'AssertionError', 'test_x: assert 1 == 2')));
    });

    it('parse errors of other languages are syntax', () => {
      assert.ok(isSyntaxDiagnostic(diag('eslint', undefined, 'Parsing error: Unexpected token')));
      assert.ok(isSyntaxDiagnostic(diag('go', undefined, 'syntax error: unexpected newline, expected comma or )')));
      assert.ok(
        isSyntaxDiagnostic(diag('rustc', undefined, 'expected one of `.`, `;`, `?`, `}`, or an operator, found `let`')),
      );
      assert.ok(!isSyntaxDiagnostic(diag('rustc', 'E0308', 'mismatched types')));
      assert.ok(isSyntaxDiagnostic(diag('gcc', undefined, "expected ';' after return statement")));
      assert.ok(isSyntaxDiagnostic(diag('gcc', undefined, 'expected ‘;’ before ‘}’ token')));
      assert.ok(!isSyntaxDiagnostic(diag('gcc', undefined, "unknown type name 'foo'")));
      assert.ok(isSyntaxDiagnostic(diag('msCompile', 'CS1002', '; expected')));
      assert.ok(!isSyntaxDiagnostic(diag('msCompile', 'CS0029', 'Cannot implicitly convert')));
      assert.ok(isSyntaxDiagnostic(diag('jest', undefined, 'Test suite failed to run: SyntaxError: Unexpected token')));
    });

    it('linters are lint; go vet and clippy output is lint; compiler errors are type', () => {
      assert.equal(classify({ diagnostics: [diag('eslint', 'no-undef', "'x' is not defined")] }), 'lint');
      assert.equal(classify({ diagnostics: [diag('ruff', 'F401', 'unused')] }), 'lint');
      assert.equal(
        classify({ command: 'go vet ./...', diagnostics: [diag('go', undefined, 'printf format %d has arg')] }),
        'lint',
      );
      assert.equal(
        classify({ command: 'go build ./...', diagnostics: [diag('go', undefined, 'undefined: x')] }),
        'type',
      );
      assert.equal(
        classify({ command: 'cargo clippy', diagnostics: [diag('rustc', 'clippy::needless_return', 'x')] }),
        'lint',
      );
      assert.equal(classify({ diagnostics: [diag('rustc', 'E0308', 'mismatched types')] }), 'type');
      assert.equal(classify({ diagnostics: [diag('mypy', 'arg-type', 'x')] }), 'type');
    });

    it('failing tests or test-runner problems are test; warnings alone do not decide', () => {
      assert.equal(
        classify({
          command: 'cargo test',
          diagnostics: [diag('rustc', undefined, 'unused variable: `x`', 'warning')],
          failedTests: [{ id: 'tests::a', source: 'cargo-test' }],
        }),
        'test',
      );
      assert.equal(classify({ diagnostics: [diag('jest', undefined, 'x › y: expect(...)')] }), 'test');
      assert.match(
        classifyFailureWithReason({
          exitCode: 1,
          failedTests: ['a', 'b', 'c', 'd'].map((id) => ({ id, source: 'pytest' })),
        }).reason,
        /failing tests: a, b, c and 1 more/,
      );
      assert.equal(
        classify({ command: 'eslint --max-warnings 0 .', diagnostics: [diag('eslint', 'eqeqeq', 'x', 'warning')] }),
        'lint',
      );
    });

    it('syntax comes before type, type before lint, lint before tests', () => {
      const tests = [{ id: 't', source: 'pytest' }];
      assert.equal(
        classify({ diagnostics: [diag('eslint', 'x', 'y'), diag('ts', 'TS1005', 'z')], failedTests: tests }),
        'syntax',
      );
      assert.equal(
        classify({ diagnostics: [diag('eslint', 'x', 'y'), diag('ts', 'TS2322', 'z')], failedTests: tests }),
        'type',
      );
      assert.equal(classify({ diagnostics: [diag('eslint', 'x', 'y')], failedTests: tests }), 'lint');
    });
  });

  describe('without diagnostics', () => {
    it('uses the command tools, then the level name, then the template level number', () => {
      assert.equal(classify({ command: 'npx tsc --noEmit', levelName: 'Unit Tests' }), 'type');
      assert.equal(classify({ command: 'ruff check .' }), 'lint');
      assert.equal(classify({ command: 'pytest -q' }), 'test');
      assert.equal(classify({ command: 'go test ./...' }), 'test');
      assert.equal(classify({ command: 'npm test' }), 'test');
      assert.equal(classify({ command: 'prettier --check .' }), 'lint');
      assert.equal(classify({ command: './check.sh', levelName: 'Syntax & Style' }), 'syntax');
      assert.equal(classify({ command: './check.sh', levelName: 'Type checking' }), 'type');
      assert.equal(classify({ command: './check.sh', levelName: 'Lint' }), 'lint');
      assert.equal(classify({ command: './check.sh', levelName: 'Unit Tests' }), 'test');
      assert.equal(classify({ command: './check.sh', levelName: 'Integration Testing' }), 'test');
      assert.equal(classify({ command: './check.sh', levelName: 'Creative Validation', levelNumber: 4 }), 'other');
      assert.equal(classify({ levelNumber: 1 }), 'syntax');
      assert.equal(classify({ levelNumber: 2 }), 'test');
      assert.equal(classify({}), 'other');
    });
  });
});
