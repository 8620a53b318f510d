/**
 * The failing tests of a run, as the ids a hook receives in `$TEST_NAME`: pytest node ids
 * (`tests/test_x.py::TestY::test_z[param]`), jest and vitest full names (titles joined with spaces, what
 * `-t` matches), Go test names (`TestAdd`, `TestTable/case`), cargo test paths (`tests::adds`).
 */
import { BUILTIN_MATCHERS } from './builtin-matchers';
import { type FailedTest, type MatchResult, matchOutput } from './matcher-session';
import { isParserMatcher, isTestNameMatcher, type MatcherSpec } from './matcher-spec';

/** The matchers that report failing tests. */
export const TEST_NAME_MATCHERS: readonly MatcherSpec[] = BUILTIN_MATCHERS.filter(
  (m) => isTestNameMatcher(m) || (isParserMatcher(m) && m.parser !== 'rustc-json'),
);

/**
 * Failing test ids, without duplicates, in the order the runner reported them: from a session's result, a list
 * of failed tests, or raw output (read with every test-reporting matcher).
 */
export function failingTestNames(input: MatchResult | readonly FailedTest[] | string): string[] {
  const tests: readonly FailedTest[] =
    typeof input === 'string'
      ? matchOutput(input, TEST_NAME_MATCHERS, { root: '/' }).failedTests
      : Array.isArray(input)
        ? input
        : (input as MatchResult).failedTests;
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const t of tests) {
    if (!seen.has(t.id)) {
      seen.add(t.id);
      ids.push(t.id);
    }
  }
  return ids;
}
