/**
 * The problem matchers shipped with the product, as data. Where VS Code (or the tool's own editor extension)
 * ships a matcher, its regular expression is the starting point and every change is noted; each one is
 * golden-tested on output captured from the real tool (test/fixtures/matchers/<tool>/).
 */
import type { MatcherSpec } from './matcher-spec';

/** Paths are read relative to the directory the command ran in (VS Code's variable syntax). */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a VS Code variable, expanded by the session
const CWD = '${cwd}';

/** A file name with no colon in it, except a Windows drive letter. */
const FILE = String.raw`((?:[A-Za-z]:)?[^:\n]+)`;

/**
 * tsc, plain `file(l,c): error TS2322: …` and pretty `file:l:c - error TS2322: …` (VS Code's `$tsc` from
 * typescript-language-features). Change: the code keeps its `TS` prefix (`TS2322`), which is how users and
 * docs name it. autoDetect instead of relative: `tsc -p sub/` prints paths relative to the working directory.
 */
export const tscMatcher: MatcherSpec = {
  name: 'tsc',
  owner: 'typescript',
  source: 'ts',
  fileLocation: ['autoDetect', CWD],
  pattern: {
    regexp: String.raw`^([^\s].*)[\(:](\d+)[,:](\d+)(?:\):\s+|\s+-\s+)(error|warning|info)\s+(TS\d+)\s*:\s*(.*)$`,
    file: 1,
    line: 2,
    column: 3,
    severity: 4,
    code: 5,
    message: 6,
  },
};

/** ESLint's default `stylish` format: a file line, then one indented line per problem (VS Code's `$eslint-stylish`). */
export const eslintStylishMatcher: MatcherSpec = {
  name: 'eslint-stylish',
  owner: 'eslint',
  source: 'eslint',
  fileLocation: 'absolute',
  pattern: [
    { regexp: String.raw`^((?:[a-zA-Z]:)*[./\\]+.*?)$`, file: 1 },
    {
      regexp: String.raw`^\s+(\d+):(\d+)\s+(error|warning|info)\s+(.+?)(?:\s\s+(.*))?$`,
      line: 1,
      column: 2,
      severity: 3,
      message: 4,
      code: 5,
      loop: true,
    },
  ],
};

/**
 * ESLint's `compact` format (a core formatter until ESLint 9, now the `eslint-formatter-compact` package).
 * Change from VS Code's `$eslint-compact`: the `(rule-id)` suffix is optional, so parsing errors (which have
 * no rule) are read too.
 */
export const eslintCompactMatcher: MatcherSpec = {
  name: 'eslint-compact',
  owner: 'eslint',
  source: 'eslint',
  fileLocation: 'absolute',
  pattern: {
    regexp: String.raw`^(.+):\sline\s(\d+),\scol\s(\d+),\s(Error|Warning|Info)\s-\s(.+?)(?:\s\(([^()\s]+)\))?$`,
    file: 1,
    line: 2,
    column: 3,
    severity: 4,
    message: 5,
    code: 6,
  },
};

/**
 * A failure logged by a Go test (`    calc_test.go:12: got 1, want 0`): the file name is relative to the
 * package directory, so it is searched among the project's files.
 */
export const goTestLogMatcher: MatcherSpec = {
  name: 'go-test-log',
  owner: 'go',
  source: 'go-test',
  fileLocation: ['search', CWD],
  pattern: {
    regexp: String.raw`^\s+([^\s:]+_test\.go):(\d+)(?::(\d+))?: (.*)$`,
    file: 1,
    line: 2,
    column: 3,
    message: 4,
  },
};

/** go build / vet / test compile errors (VS Code's `$go`), with a `vet: ` style prefix tolerated. */
export const goMatcher: MatcherSpec = {
  name: 'go',
  owner: 'go',
  source: 'go',
  fileLocation: ['search', CWD],
  pattern: {
    regexp: String.raw`^([^:]*: )?((.:)?[^:]*):(\d+)(:(\d+))?: (.*)$`,
    file: 2,
    line: 4,
    column: 6,
    message: 7,
  },
};

/** `--- FAIL: TestAdd (0.00s)`, subtests included (`TestTable/zero`): the names `go test -run` takes. */
export const goTestNamesMatcher: MatcherSpec = {
  name: 'go-test-names',
  owner: 'go',
  source: 'go-test',
  testName: { regexp: String.raw`^\s*--- FAIL: (\S+)`, name: 1 },
};

/**
 * rustc / cargo human output, two lines: `error[E0308]: mismatched types` then ` --> src/main.rs:5:22`
 * (rust-analyzer's `$rustc` problem pattern; its location line's `^[\s->=]*(.*?)` prefix is spelled
 * `^\s*(?:(?:-->|:::|=)\s*)?(\S.*?)` here, which reads the same lines without quadratic backtracking).
 */
export const rustcMatcher: MatcherSpec = {
  name: 'rustc',
  owner: 'rustc',
  source: 'rustc',
  fileLocation: ['autoDetect', CWD],
  pattern: [
    { regexp: String.raw`^(warning|warn|error)(?:\[(.*?)\])?: (.*)$`, severity: 1, code: 2, message: 3 },
    { regexp: String.raw`^\s*(?:(?:-->|:::|=)\s*)?(\S.*?):([1-9]\d*):([1-9]\d*)\s*$`, file: 1, line: 2, column: 3 },
  ],
};

/** `cargo build/check/clippy --message-format=json` (rust-analyzer's `$rustc-json`). */
export const rustcJsonMatcher: MatcherSpec = {
  name: 'rustc-json',
  owner: 'rustc',
  source: 'rustc',
  fileLocation: ['autoDetect', CWD],
  parser: 'rustc-json',
};

/** A Rust panic (a failing `cargo test` or a crashing binary): `thread 'x' panicked at src/lib.rs:6:5:` then the message. */
export const rustPanicMatcher: MatcherSpec = {
  name: 'rust-panic',
  owner: 'rustc',
  source: 'cargo-test',
  fileLocation: ['autoDetect', CWD],
  pattern: [
    { regexp: String.raw`^thread '.*?'(?: \(\d+\))? panicked at (.+?):(\d+):(\d+):$`, file: 1, line: 2, column: 3 },
    { regexp: '^(.+)$', message: 1 },
  ],
};

/** Rust before 1.73 printed the panic on one line: `thread 'main' panicked at 'msg', src/main.rs:5:5`. */
export const rustPanicLegacyMatcher: MatcherSpec = {
  name: 'rust-panic-legacy',
  owner: 'rustc',
  source: 'cargo-test',
  fileLocation: ['autoDetect', CWD],
  pattern: {
    regexp: String.raw`^thread '.*?' panicked at '(.*)', (.+?):(\d+):(\d+)$`,
    message: 1,
    file: 2,
    line: 3,
    column: 4,
  },
};

/** `test tests::adds ... FAILED` — the names `cargo test` takes. */
export const cargoTestNamesMatcher: MatcherSpec = {
  name: 'cargo-test-names',
  owner: 'rustc',
  source: 'cargo-test',
  testName: { regexp: String.raw`^test (\S+) \.\.\. FAILED$`, name: 1 },
};

/** `---- tests::adds stdout ----` — the same names from the failure details (`cargo test -q` prints no `test … FAILED`). */
export const cargoTestStdoutMatcher: MatcherSpec = {
  name: 'cargo-test-stdout',
  owner: 'rustc',
  source: 'cargo-test',
  testName: { regexp: String.raw`^---- (\S+) stdout ----$`, name: 1 },
};

/**
 * gcc and clang: `file:l:c: error: msg [-Wflag]`, warnings, notes (info), `fatal error` (error), clang's
 * `remark` (info). The `[-W…]` flag (or a clang-tidy check name) becomes the code.
 */
export const gccMatcher: MatcherSpec = {
  name: 'gcc',
  owner: 'cpp',
  source: 'gcc',
  fileLocation: ['autoDetect', CWD],
  pattern: {
    regexp: `^${FILE}:(\\d+)(?::(\\d+))?:\\s+(?:fatal\\s+)?(error|warning|note|remark):\\s+(.*?)(?:\\s+\\[(-W[\\w=+-]*|[a-z][\\w.]*-[\\w.-]+)\\])?$`,
    file: 1,
    line: 2,
    column: 3,
    severity: 4,
    message: 5,
    code: 6,
  },
};

/**
 * MSBuild / cl / csc style `file(l,c): error CS0029: msg` (VS Code's current `$msCompile`). Changes: MSBuild's
 * trailing ` [project.csproj]` is not kept in the message; and the same lines are read with linear-time
 * backtracking — the file name has no colon but a drive letter's and ends with a non-space, no two whitespace
 * quantifiers touch (VS Code's spelling takes quadratic time on long whitespace runs).
 */
export const msCompileMatcher: MatcherSpec = {
  name: 'msCompile',
  owner: 'msCompile',
  source: 'msCompile',
  fileLocation: 'absolute',
  pattern: {
    regexp: String.raw`^\s*(?:\d+>)?((?:[A-Za-z]:)?[^:\s](?:[^:]*?[^:\s])?)(?:\((\d+|\d+,\d+|\d+,\d+,\d+,\d+)\))?\s*:\s+(?:(\S+)\s+)?((?:fatal +)?error|warning|info)\s+(?:(\w+\d+)\s*)?:\s*(.*?)(?: \[[^\[\]]*proj\])?$`,
    file: 1,
    location: 2,
    severity: 4,
    code: 5,
    message: 6,
  },
};

/** pytest's failure and error sections and its short test summary (a structured parser). */
export const pytestMatcher: MatcherSpec = {
  name: 'pytest',
  owner: 'pytest',
  source: 'pytest',
  fileLocation: ['autoDetect', CWD],
  parser: 'pytest',
};

/**
 * mypy: `file.py:l: error: msg  [code]`, with `--show-column-numbers` `file.py:l:c:`, with `--show-error-end`
 * `file.py:l:c:el:ec:` (mypy prints the end column of the last character: made exclusive). Notes are info.
 */
export const mypyMatcher: MatcherSpec = {
  name: 'mypy',
  owner: 'mypy',
  source: 'mypy',
  fileLocation: ['autoDetect', CWD],
  inclusiveEnd: true,
  pattern: {
    regexp: String.raw`^((?:[A-Za-z]:)?[^:\n]+\.pyi?):(\d+)(?::(\d+))?(?::(\d+):(\d+))?: (error|warning|note): (.*?)(?:  \[([a-z][\w-]*)\])?$`,
    file: 1,
    line: 2,
    column: 3,
    endLine: 4,
    endColumn: 5,
    severity: 6,
    message: 7,
    code: 8,
  },
};

/**
 * ruff's `concise` format, `file:l:c: F401 [*] msg` (and the first line of ruff ≤0.11's full format);
 * syntax errors as `invalid-syntax: msg` or, in older releases, `SyntaxError: msg`.
 */
export const ruffConciseMatcher: MatcherSpec = {
  name: 'ruff-concise',
  owner: 'ruff',
  source: 'ruff',
  fileLocation: ['autoDetect', CWD],
  pattern: {
    regexp: `^${FILE}:(\\d+):(\\d+): (?:([A-Z]{1,4}[0-9]{1,4}|invalid-syntax):? (?:\\[\\*\\] )?|(?=SyntaxError: ))(.+)$`,
    file: 1,
    line: 2,
    column: 3,
    code: 4,
    message: 5,
  },
};

/** ruff's `full` format (the default since 0.12): `F401 [*] msg` then ` --> file:l:c`. */
export const ruffFullMatcher: MatcherSpec = {
  name: 'ruff-full',
  owner: 'ruff',
  source: 'ruff',
  fileLocation: ['autoDetect', CWD],
  pattern: [
    { regexp: String.raw`^([A-Z]{1,4}[0-9]{1,4}|invalid-syntax)(?::| \[\*\])? (.+)$`, code: 1, message: 2 },
    { regexp: String.raw`^\s*-->\s(.+?):(\d+):(\d+)\s*$`, file: 1, line: 2, column: 3 },
  ],
};

/**
 * flake8's default format `file:l:c: CODE msg`. The code's first letter goes through VS Code's E/W/I severity
 * letters: `W…` (pycodestyle warnings) are warnings, `E…` errors, and the rest (`F`, `C`, plugins) the
 * matcher's default, error.
 */
export const flake8Matcher: MatcherSpec = {
  name: 'flake8',
  owner: 'flake8',
  source: 'flake8',
  fileLocation: ['autoDetect', CWD],
  pattern: {
    regexp: `^${FILE}:(\\d+):(\\d+): (([A-Z])[A-Z]{0,3}[0-9]{1,4}) (.+)$`,
    file: 1,
    line: 2,
    column: 3,
    code: 4,
    severity: 5,
    message: 6,
  },
};

/** Jest's failure blocks (`● Suite › test`) and their first stack frame in project code (a structured parser). */
export const jestMatcher: MatcherSpec = {
  name: 'jest',
  owner: 'jest',
  source: 'jest',
  fileLocation: ['autoDetect', CWD],
  parser: 'jest',
};

/** Vitest's failure blocks (` FAIL  file > suite > test`) and their `❯ file:l:c` frames (a structured parser). */
export const vitestMatcher: MatcherSpec = {
  name: 'vitest',
  owner: 'vitest',
  source: 'vitest',
  fileLocation: ['autoDetect', CWD],
  parser: 'vitest',
};

/** The tools `pickMatchers` recognizes, each with its matchers in the order they are tried. */
export const TOOL_MATCHERS = {
  tsc: [tscMatcher],
  eslint: [eslintStylishMatcher, eslintCompactMatcher],
  go: [goTestNamesMatcher, goTestLogMatcher, goMatcher],
  rust: [
    rustcJsonMatcher,
    cargoTestNamesMatcher,
    cargoTestStdoutMatcher,
    rustcMatcher,
    rustPanicMatcher,
    rustPanicLegacyMatcher,
  ],
  gcc: [gccMatcher],
  msCompile: [msCompileMatcher],
  pytest: [pytestMatcher],
  ruff: [ruffFullMatcher, ruffConciseMatcher],
  mypy: [mypyMatcher],
  flake8: [flake8Matcher],
  jest: [jestMatcher],
  vitest: [vitestMatcher],
} as const satisfies Record<string, readonly MatcherSpec[]>;

export type ToolName = keyof typeof TOOL_MATCHERS;

/**
 * Every shipped matcher, in the order the fallback tries them: structured parsers and test-name matchers
 * first (they claim their lines), then the most specific patterns, the generic `file:line: message` of Go last.
 */
export const BUILTIN_MATCHERS: readonly MatcherSpec[] = [
  rustcJsonMatcher,
  pytestMatcher,
  jestMatcher,
  vitestMatcher,
  goTestNamesMatcher,
  cargoTestNamesMatcher,
  cargoTestStdoutMatcher,
  tscMatcher,
  eslintStylishMatcher,
  eslintCompactMatcher,
  rustcMatcher,
  rustPanicMatcher,
  rustPanicLegacyMatcher,
  ruffFullMatcher,
  mypyMatcher,
  ruffConciseMatcher,
  flake8Matcher,
  gccMatcher,
  msCompileMatcher,
  goTestLogMatcher,
  goMatcher,
];

export function builtinMatcher(name: string): MatcherSpec | undefined {
  return BUILTIN_MATCHERS.find((m) => m.name === name);
}
