/**
 * Before/after snapshots of the work tree, for a run's "files created/modified" and "tests added"
 * metrics. The host lists files (git-aware, see `src/node/work-tree.ts`); this module compares.
 */
export interface FileFingerprint {
  /** Project-relative path with `/` separators. */
  path: string;
  size: number;
  /** Content hash (hex). */
  hash: string;
  /** Test cases counted in the file when it is a test file (0 otherwise). */
  testCases: number;
}

export interface WorkTreeSnapshot {
  files: Map<string, FileFingerprint>;
}

export interface WorkTreeDiff {
  created: string[];
  modified: string[];
  deleted: string[];
  /** New test files plus test cases added to existing ones. */
  testsAdded: number;
}

const TEST_FILE =
  /(^|\/)(tests?|__tests__|spec)\/|(\.|_)(test|spec)\.[cm]?[jt]sx?$|(^|\/)test_[^/]*\.py$|_test\.py$|_test\.go$|(^|\/)tests\/[^/]*\.rs$/;

export function isTestFile(path: string): boolean {
  return TEST_FILE.test(path);
}

/** Counts test cases in a test file's text: `it(`/`test(` (JS/TS), `def test_` (Python), `func Test` (Go), `#[test]` (Rust). */
export function countTestCases(path: string, text: string): number {
  if (!isTestFile(path)) return 0;
  const patterns = [
    /^\s*(?:it|test)(?:\.each\([^)]*\))?\s*\(/gm,
    /^\s*(?:async\s+)?def\s+test_\w*\s*\(/gm,
    /^func\s+Test\w*\s*\(/gm,
    /#\[(?:tokio::)?test\]/g,
  ];
  let n = 0;
  for (const re of patterns) n += text.match(re)?.length ?? 0;
  return n;
}

export function diffSnapshots(
  before: WorkTreeSnapshot,
  after: WorkTreeSnapshot,
  ignore: (path: string) => boolean = () => false,
): WorkTreeDiff {
  const created: string[] = [];
  const modified: string[] = [];
  const deleted: string[] = [];
  let testsAdded = 0;
  for (const [path, file] of after.files) {
    if (ignore(path)) continue;
    const old = before.files.get(path);
    if (!old) {
      created.push(path);
      testsAdded += file.testCases;
    } else if (old.hash !== file.hash || old.size !== file.size) {
      modified.push(path);
      testsAdded += Math.max(0, file.testCases - old.testCases);
    }
  }
  for (const path of before.files.keys()) if (!after.files.has(path) && !ignore(path)) deleted.push(path);
  return { created: created.sort(), modified: modified.sort(), deleted: deleted.sort(), testsAdded };
}
