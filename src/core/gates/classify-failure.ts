/**
 * What kind of failure a gate command had, for `retry.onRetry[<type>]` (`syntax → /fix-syntax-errors`,
 * `test → /fix-failing-tests`) and for reports. Decided in this order:
 *
 * 1. `timeout` — the runner killed it for exceeding its time.
 * 2. `other` — it never ran or was stopped: spawn error, exit 127 ("command not found"), 126 ("not
 *    executable"), a user cancellation, or exit 0 (not a failure). A fix-the-code command cannot help there.
 * 3. `crash` — the process died of a signal (SIGSEGV, SIGABRT, SIGKILL — often the OOM killer…), a shell
 *    reported one as exit 128+N (134, 135, 136, 137, 139…), or the output's tail says so (segmentation fault,
 *    core dumped, JavaScript heap out of memory, Fatal Python error…).
 * 4. From the parsed diagnostics (errors if there are any), most blocking first:
 *    `syntax` — a parser error: TS1xxx (but the module/config ones), Python `SyntaxError`/`IndentationError`,
 *    flake8 `E999`, ruff `invalid-syntax`, mypy `[syntax]`, ESLint `Parsing error:`, Go `syntax error:`,
 *    rustc's uncoded `expected …`/`unclosed delimiter`, gcc/clang `expected ';'…`, a test file that failed
 *    to load with a SyntaxError (jest) or a transform/parse error (vitest) — a test run with a broken test
 *    file is a syntax failure first: the tests in it did not run;
 *    `type` — tsc, mypy, rustc `E0xxx`, other compiler errors (gcc, Go build, msCompile);
 *    `lint` — eslint, ruff, flake8, Go vet / golangci-lint, clippy;
 *    `test` — failing tests found, or problems from pytest, jest, vitest, go test, cargo test.
 * 5. Without diagnostics: the command's tools (tsc → type, eslint → lint, pytest → test…), then the level's
 *    name (`Syntax & Style` → syntax, `Type…` → type, `Lint`/`Style`/`Format` → lint, `Unit Tests`,
 *    `Integration…` → test), then the level number of the PRP template (1 syntax, 2–3 test).
 * 6. `other`.
 */
import type { Diagnostic } from './diagnostic';
import type { FailedTest } from './matcher-session';
import { detectTools } from './pick-matchers';

export type FailureType = 'syntax' | 'type' | 'lint' | 'test' | 'timeout' | 'crash' | 'other';

export interface FailureInput {
  levelName?: string;
  levelNumber?: number;
  command?: string;
  exitCode: number | null;
  timedOut?: boolean;
  cancelled?: boolean;
  signal?: string | null;
  /** The runner could not start the process. */
  spawnError?: string;
  diagnostics?: readonly Diagnostic[];
  failedTests?: readonly FailedTest[];
  /** The last lines of output. */
  outputTail?: string;
}

export interface FailureClassification {
  type: FailureType;
  /** One line saying why, for logs and reports. */
  reason: string;
}

export function classifyFailure(input: FailureInput): FailureType {
  return classifyFailureWithReason(input).type;
}

const CRASH_SIGNALS = new Set(['SIGSEGV', 'SIGABRT', 'SIGBUS', 'SIGILL', 'SIGFPE', 'SIGKILL', 'SIGTRAP', 'SIGSYS']);
const SIGNAL_BY_NUMBER: Record<number, string> = {
  4: 'SIGILL',
  5: 'SIGTRAP',
  6: 'SIGABRT',
  7: 'SIGBUS',
  8: 'SIGFPE',
  9: 'SIGKILL',
  11: 'SIGSEGV',
  31: 'SIGSYS',
};
const CRASH_OUTPUT =
  /Segmentation fault|core dumped|Fatal Python error|JavaScript heap out of memory|fatal runtime error|has overflowed its stack|Illegal instruction|Bus error|Abort trap|Out of memory: Killed/;
const TEST_SOURCES = new Set(['pytest', 'jest', 'vitest', 'go-test', 'cargo-test']);
const LINT_SOURCES = new Set(['eslint', 'ruff', 'flake8']);
const TYPE_SOURCES = new Set(['ts', 'mypy', 'rustc', 'gcc', 'go', 'msCompile']);
/** TS1xxx codes that are about modules and configuration, not grammar. */
const TS1_NOT_SYNTAX = new Set([
  1192, 1202, 1203, 1205, 1208, 1259, 1261, 1324, 1343, 1371, 1375, 1378, 1479, 1484, 1543,
]);
const PY_SYNTAX = new Set(['SyntaxError', 'IndentationError', 'TabError', 'E999', 'E902', 'invalid-syntax', 'syntax']);

export function classifyFailureWithReason(input: FailureInput): FailureClassification {
  if (input.timedOut) return { type: 'timeout', reason: 'the command exceeded its time limit and was stopped' };
  if (input.cancelled) return { type: 'other', reason: 'the command was cancelled' };
  if (input.spawnError) return { type: 'other', reason: `the command could not start: ${input.spawnError}` };
  const code = input.exitCode;
  if (code === 127) return { type: 'other', reason: 'exit 127: command not found' };
  if (code === 126) return { type: 'other', reason: 'exit 126: command found but not executable' };
  if (code === 0 && !input.signal) return { type: 'other', reason: 'exit 0: the command did not fail' };

  const signal = input.signal ?? (code !== null && code > 128 ? SIGNAL_BY_NUMBER[code - 128] : undefined);
  if (signal && (CRASH_SIGNALS.has(signal) || input.signal)) {
    return { type: 'crash', reason: `the process was killed by ${signal}` };
  }
  if (input.outputTail && CRASH_OUTPUT.test(input.outputTail)) {
    const m = CRASH_OUTPUT.exec(input.outputTail)!;
    return { type: 'crash', reason: `the output reports a crash: "${m[0]}"` };
  }

  const fromDiagnostics = classifyDiagnostics(input);
  if (fromDiagnostics) return fromDiagnostics;

  if (input.command) {
    const tool = detectTools(input.command)[0];
    const byTool = tool ? TOOL_FAILURE[tool] : undefined;
    if (byTool) return { type: byTool, reason: `${tool} failed (no diagnostics parsed)` };
    const extra = commandHint(input.command);
    if (extra) return { type: extra, reason: `the command looks like a ${extra} step (no diagnostics parsed)` };
  }
  const byLevel = levelType(input.levelName, input.levelNumber);
  if (byLevel) return { type: byLevel, reason: `a failure in level "${input.levelName ?? input.levelNumber}"` };
  return { type: 'other', reason: `exit ${code ?? 'null'} with nothing recognizable in the output` };
}

function classifyDiagnostics(input: FailureInput): FailureClassification | undefined {
  const all = input.diagnostics ?? [];
  // Warnings alone do not say why a command failed (a test run that also printed compiler warnings failed
  // because of its tests), except for a linter run with --max-warnings.
  const errors = all.filter((d) => d.severity === 'error');
  const syntax = errors.find(isSyntaxDiagnostic);
  if (syntax) return { type: 'syntax', reason: `syntax error: ${describe(syntax)}` };
  const command = input.command ?? '';
  const lintCommand = /\b(?:vet|golangci-lint|staticcheck|clippy)\b/.test(command);
  const isLint = (d: Diagnostic): boolean =>
    LINT_SOURCES.has(d.source) || (lintCommand && (d.source === 'go' || d.source === 'rustc'));
  const type = errors.find((d) => TYPE_SOURCES.has(d.source) && !isLint(d));
  if (type) return { type: 'type', reason: `compile/type error: ${describe(type)}` };
  const lint = errors.find(isLint);
  if (lint) return { type: 'lint', reason: `lint error: ${describe(lint)}` };
  if (input.failedTests && input.failedTests.length > 0) {
    const names = input.failedTests.slice(0, 3).map((t) => t.id);
    const more = input.failedTests.length > 3 ? ` and ${input.failedTests.length - 3} more` : '';
    return { type: 'test', reason: `failing tests: ${names.join(', ')}${more}` };
  }
  const test = all.find((d) => TEST_SOURCES.has(d.source));
  if (test) return { type: 'test', reason: `test failure: ${describe(test)}` };
  const lintWarning = all.find((d) => LINT_SOURCES.has(d.source));
  if (lintWarning) return { type: 'lint', reason: `lint warnings: ${describe(lintWarning)}` };
  return undefined;
}

/** Whether a diagnostic reports a parse error (see the module comment for the rules). */
export function isSyntaxDiagnostic(d: Diagnostic): boolean {
  const code = d.code ?? '';
  if (d.source === 'ts') {
    const m = /^TS(1\d{3})$/.exec(code);
    return m !== null && !TS1_NOT_SYNTAX.has(Number(m[1]));
  }
  if (PY_SYNTAX.has(code) && (d.source === 'pytest' || LINT_SOURCES.has(d.source) || d.source === 'mypy')) return true;
  // Python's and JavaScript's parse errors, possibly after a test title (`Test suite failed to run: SyntaxError…`).
  if (/(?:^|: )(?:SyntaxError|IndentationError|TabError)\b/m.test(d.message)) return true;
  // Vite/vitest (oxc, esbuild, rollup) transform errors.
  if ((d.source === 'vitest' || d.source === 'jest') && /\[PARSE_ERROR\]|Transform failed/.test(d.message)) return true;
  if (d.source === 'eslint' && d.message.startsWith('Parsing error:')) return true;
  if ((d.source === 'go' || d.source === 'go-test') && /^syntax error\b/.test(d.message)) return true;
  if (
    d.source === 'rustc' &&
    !code &&
    /^(?:expected |unexpected |unclosed delimiter|mismatched closing delimiter|this file contains an unclosed delimiter)/.test(
      d.message,
    )
  ) {
    return true;
  }
  if (
    d.source === 'gcc' &&
    /^expected ['‘"`]|^expected (?:expression|identifier|declaration|statement)|before ['‘].*['’] token$/.test(
      d.message,
    )
  ) {
    return true;
  }
  if (d.source === 'msCompile' && /^CS10(?:0[0-9]|1[0-9]|2[0-9])$|^CS15(?:1[3-9]|2[0-9])$/.test(code)) return true;
  return false;
}

const TOOL_FAILURE: Partial<Record<string, FailureType>> = {
  tsc: 'type',
  mypy: 'type',
  gcc: 'type',
  msCompile: 'type',
  eslint: 'lint',
  ruff: 'lint',
  flake8: 'lint',
  pytest: 'test',
  jest: 'test',
  vitest: 'test',
};

function commandHint(command: string): FailureType | undefined {
  if (
    /\b(?:go|cargo|dotnet|npm|pnpm|yarn|bun|deno)\s+test\b|\b(?:mocha|unittest|rspec|phpunit|ctest|tox|nox|playwright|cypress)\b/.test(
      command,
    )
  ) {
    return 'test';
  }
  if (
    /\b(?:go\s+vet|golangci-lint|staticcheck|cargo\s+clippy|pylint|biome|prettier|black|isort|stylelint|shellcheck|rubocop)\b/.test(
      command,
    )
  ) {
    return 'lint';
  }
  if (/\b(?:pyright|tsgo|vue-tsc|go\s+build|cargo\s+(?:build|check))\b/.test(command)) return 'type';
  return undefined;
}

function levelType(name: string | undefined, n: number | undefined): FailureType | undefined {
  if (name) {
    if (/syntax/i.test(name)) return 'syntax';
    if (/\btyp(e|es|ing)\b|type[- ]?check/i.test(name)) return 'type';
    if (/lint|style|format/i.test(name)) return 'lint';
    if (/test|spec|integration|e2e|end[- ]to[- ]end/i.test(name)) return 'test';
  }
  if (n === 1) return 'syntax';
  if (n === 2 || n === 3) return 'test';
  return undefined;
}

function describe(d: Diagnostic): string {
  const first = d.message.split('\n', 1)[0]!;
  return `${d.file}:${d.line}: ${d.code ? `${d.code} ` : ''}${first}`;
}
