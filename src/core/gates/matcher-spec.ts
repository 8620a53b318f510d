/**
 * Problem matchers as data: the shapes our shipped matchers are written in and that users can later add in
 * settings. The pattern form follows VS Code's `problemMatcher` / `problemPattern` contribution points
 * (`regexp`, `file`, `location`, `line`, `column`, `endLine`, `endColumn`, `severity`, `code`, `message`,
 * `loop`, `kind`) so a matcher from a `tasks.json` or an extension's package.json ports over unchanged.
 *
 * Three kinds of matcher:
 * - **pattern** — one regular expression, or several for a problem printed over several lines (VS Code semantics);
 * - **testName** — one regular expression naming a failing test (`--- FAIL: TestAdd`), for `$TEST_NAME`;
 * - **parser** — a named structured parser shipped with the product, for output no line regex can read well
 *   (rustc's JSON lines, pytest's failure sections, jest's and vitest's failure blocks).
 */
import { z } from 'zod';
import type { Severity } from '../problems';
import type { FileLocationKind } from './file-location';

export interface ProblemPatternSpec {
  /** The regular expression (a string, as in JSON settings; a RegExp is accepted from code; no flags are added). */
  regexp: string | RegExp;
  /** `file`: the problem is about a whole file and needs no line (first pattern only). Default `location`. */
  kind?: 'file' | 'location';
  /** Match group indices. A single-line pattern defaults to file 1, line 2, column 3, message 0 (the whole match). */
  file?: number;
  /** One group holding `l`, `l,c` or `l,c,el,ec`. */
  location?: number;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  severity?: number;
  code?: number;
  /** In a multi-line pattern, messages from several lines are appended, one per line. */
  message?: number;
  /** Last pattern of a multi-line matcher only: keep matching following lines, one problem each. */
  loop?: boolean;
}

export type FileLocationSpec = FileLocationKind | readonly [FileLocationKind, string];

export type StructuredParserName = 'rustc-json' | 'pytest' | 'jest' | 'vitest';

export interface TestNamePatternSpec {
  regexp: string | RegExp;
  /** Group holding the test id. */
  name: number;
  /** Optional groups for where the test lives and why it failed. */
  file?: number;
  line?: number;
  message?: number;
}

interface MatcherSpecBase {
  /** Unique name, e.g. `tsc`, `eslint-stylish`. */
  name: string;
  /** Groups matchers whose problems belong together (VS Code's `owner`). Defaults to the name. */
  owner?: string;
  /** Written into each diagnostic's `source`, e.g. `ts`, `eslint`. */
  source: string;
  label?: string;
  /** Severity of problems whose pattern captures none (or an unknown word). Default `error`. */
  severity?: Severity;
  /** How printed file names are read. Default `['relative', '${cwd}']`. */
  fileLocation?: FileLocationSpec;
  /** The tool prints the end column of the last character (mypy); add one to make it exclusive. */
  inclusiveEnd?: boolean;
}

export interface PatternMatcherSpec extends MatcherSpecBase {
  pattern: ProblemPatternSpec | readonly ProblemPatternSpec[];
}

export interface TestNameMatcherSpec extends MatcherSpecBase {
  testName: TestNamePatternSpec;
}

export interface ParserMatcherSpec extends MatcherSpecBase {
  parser: StructuredParserName;
}

export type MatcherSpec = PatternMatcherSpec | TestNameMatcherSpec | ParserMatcherSpec;

const groupIndex = z.number().int().min(0).max(99);
const fileLocationKind = z.enum(['relative', 'absolute', 'autoDetect', 'search']);

const problemPatternSchema = z.strictObject({
  regexp: z.string().min(1),
  kind: z.enum(['file', 'location']).optional(),
  file: groupIndex.optional(),
  location: groupIndex.optional(),
  line: groupIndex.optional(),
  column: groupIndex.optional(),
  endLine: groupIndex.optional(),
  endColumn: groupIndex.optional(),
  severity: groupIndex.optional(),
  code: groupIndex.optional(),
  message: groupIndex.optional(),
  loop: z.boolean().optional(),
});

const baseShape = {
  name: z
    .string()
    .regex(/^[A-Za-z0-9][\w.-]*$/, 'use letters, digits, "-", "_" or "."')
    .max(64),
  owner: z.string().min(1).max(64).optional(),
  source: z.string().min(1).max(64),
  label: z.string().max(200).optional(),
  severity: z.enum(['error', 'warning', 'info']).optional(),
  fileLocation: z.union([fileLocationKind, z.tuple([fileLocationKind, z.string().min(1)])]).optional(),
  inclusiveEnd: z.boolean().optional(),
};

/**
 * Validates a user-supplied pattern matcher (settings, a future `matchers:` block). Structured parsers are
 * shipped code and not accepted from users. Semantic checks (the regex compiles, groups exist, `loop` only
 * on the last pattern) happen in `compileMatcher`, which throws a `MatcherSpecError` naming the matcher.
 */
export const userMatcherSpecSchema = z.union([
  z.strictObject({
    ...baseShape,
    pattern: z.union([problemPatternSchema, z.array(problemPatternSchema).min(1).max(10)]),
  }),
  z.strictObject({
    ...baseShape,
    testName: z.strictObject({
      regexp: z.string().min(1),
      name: groupIndex,
      file: groupIndex.optional(),
      line: groupIndex.optional(),
      message: groupIndex.optional(),
    }),
  }),
]);

export function isPatternMatcher(spec: MatcherSpec): spec is PatternMatcherSpec {
  return 'pattern' in spec;
}

export function isTestNameMatcher(spec: MatcherSpec): spec is TestNameMatcherSpec {
  return 'testName' in spec;
}

export function isParserMatcher(spec: MatcherSpec): spec is ParserMatcherSpec {
  return 'parser' in spec;
}
