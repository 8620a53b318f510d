/**
 * A project snapshot for the agent's context block: a capped tree summary, the detected tech stack, declared
 * dependencies, recent git history and uncommitted changes (through the process runner, `git` run as argv — no
 * shell), test conventions, and the rules CLAUDE.md states. Everything capped so the snapshot stays a briefing
 * (a few hundred tokens), not a dump; `full` raises the caps (deeper tree, more history).
 */
import type { ProcessRunner } from '../../ports/process-runner';
import type { TechStack } from '../../project/facts';
import { detectProject } from '../../project/tech-stack';
import { decodeUtf8 } from '../../text';
import type { Workspace } from '../../workspace';
import { SKIPPED_DIRS, walkTree } from '../tools/walk';
import { type DependencyList, readDependencies } from './dependencies';

export interface ProjectSnapshot {
  /** Epoch ms. */
  takenAt: number;
  full: boolean;
  name: string;
  techStack: TechStack;
  tree: { lines: string[]; files: number; truncated: boolean };
  dependencies: DependencyList[];
  /** `undefined` when the project is not a git repository (or git is not installed). */
  git?: { branch?: string; commits: string[]; changes: string[] };
  tests: { runner: string; directories: string[]; files: number; examples: string[] };
  /** Bullet points of CLAUDE.md (its rules and conventions), in order. */
  rules: string[];
}

export interface SnapshotDeps {
  workspace: Workspace;
  runner: ProcessRunner;
  now: () => number;
  signal?: AbortSignal;
}

const CAPS = {
  quick: { walk: 5000, depth: 2, treeLines: 60, commits: 10, changes: 30, rules: 40, deps: 40 },
  full: { walk: 50_000, depth: 3, treeLines: 200, commits: 30, changes: 100, rules: 80, deps: 200 },
};

const TEST_FILE =
  /(^|\/)(test_[^/]+\.py|[^/]+_test\.(py|go)|[^/]+\.(test|spec)\.[cm]?[jt]sx?|[^/]+Test\.(java|kt)|[^/]+_spec\.rb)$/;
const TEST_DIRS = new Set(['test', 'tests', '__tests__', 'spec', 'specs']);

export async function takeSnapshot(deps: SnapshotDeps, options: { full?: boolean } = {}): Promise<ProjectSnapshot> {
  const caps = options.full ? CAPS.full : CAPS.quick;
  const { workspace } = deps;
  const [detected, dependencies, tree, git, rules] = await Promise.all([
    detectProject(workspace),
    readDependencies(workspace, caps.deps),
    treeSummary(deps, caps),
    gitState(deps, caps),
    claudeRules(workspace, caps.rules),
  ]);
  return {
    takenAt: deps.now(),
    full: Boolean(options.full),
    name: detected.name,
    techStack: detected.techStack,
    tree: { lines: tree.lines, files: tree.files, truncated: tree.truncated },
    dependencies,
    ...(git ? { git } : {}),
    tests: { runner: detected.techStack.testRunner, ...tree.tests },
    rules,
  };
}

async function treeSummary(deps: SnapshotDeps, caps: (typeof CAPS)['quick']) {
  const root = deps.workspace.root;
  const walk = await walkTree(deps.workspace.fs, root, {
    maxEntries: caps.walk,
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  const fileCount = new Map<string, number>();
  const dirs = new Set<string>();
  const topFiles: string[] = [];
  const skipped: string[] = [];
  const testFiles: string[] = [];
  const testDirs = new Set<string>();
  let files = 0;
  for (const e of walk.entries) {
    const parts = e.rel.split('/');
    if (e.type === 'directory') {
      if (parts.length <= caps.depth) dirs.add(e.rel);
      if (parts.length === 1 && SKIPPED_DIRS.has(e.rel)) skipped.push(e.rel);
      continue;
    }
    files++;
    if (parts.length === 1) topFiles.push(e.rel);
    for (let d = 1; d < parts.length && d <= caps.depth; d++) {
      const dir = parts.slice(0, d).join('/');
      fileCount.set(dir, (fileCount.get(dir) ?? 0) + 1);
    }
    if (TEST_FILE.test(e.rel) || parts.slice(0, -1).some((p) => TEST_DIRS.has(p))) {
      testFiles.push(e.rel);
      const dir = parts.find((p) => TEST_DIRS.has(p));
      testDirs.add(dir ? parts.slice(0, parts.indexOf(dir) + 1).join('/') : parts.slice(0, -1).join('/') || '.');
    }
  }
  const lines: string[] = [];
  const sortedDirs = [...dirs].sort();
  for (const dir of sortedDirs) {
    const depth = dir.split('/').length - 1;
    const note = SKIPPED_DIRS.has(dir.split('/').pop()!) ? 'not scanned' : `${fileCount.get(dir) ?? 0} files`;
    lines.push(`${'  '.repeat(depth)}${dir.split('/').pop()}/ (${note})`);
  }
  lines.push(...topFiles.sort());
  const cut = lines.length > caps.treeLines;
  return {
    lines: cut ? [...lines.slice(0, caps.treeLines), `… ${lines.length - caps.treeLines} more lines`] : lines,
    files,
    truncated: walk.truncated || cut,
    tests: {
      directories: [...testDirs].sort().slice(0, 10),
      files: testFiles.length,
      examples: testFiles.slice(0, 5),
    },
  };
}

async function runGit(deps: SnapshotDeps, args: string[]): Promise<string[] | undefined> {
  const lines: string[] = [];
  try {
    const result = await deps.runner.run(
      { argv: ['git', ...args], cwd: deps.workspace.root, timeoutMs: 15_000, env: { GIT_OPTIONAL_LOCKS: '0' } },
      {
        onLine: (l) => {
          if (l.stream === 'stdout') lines.push(l.text);
        },
        ...(deps.signal ? { signal: deps.signal } : {}),
      },
    );
    return result.exitCode === 0 ? lines : undefined;
  } catch {
    return undefined;
  }
}

async function gitState(deps: SnapshotDeps, caps: (typeof CAPS)['quick']): Promise<ProjectSnapshot['git']> {
  const branch = await runGit(deps, ['rev-parse', '--abbrev-ref', 'HEAD']);
  if (!branch) return undefined;
  const commits =
    (await runGit(deps, ['log', '-n', String(caps.commits), '--date=short', '--pretty=format:%h %ad %s'])) ?? [];
  const status = (await runGit(deps, ['status', '--porcelain=v1', '--untracked-files=normal'])) ?? [];
  const changes = status.slice(0, caps.changes);
  if (status.length > caps.changes) changes.push(`… ${status.length - caps.changes} more`);
  return { ...(branch[0] ? { branch: branch[0] } : {}), commits, changes };
}

async function claudeRules(workspace: Workspace, max: number): Promise<string[]> {
  const abs = workspace.abs('CLAUDE.md');
  const st = await workspace.fs.stat(abs).catch(() => undefined);
  if (st?.type !== 'file') return [];
  const decoded = decodeUtf8(await workspace.fs.readFile(abs), 'CLAUDE.md');
  if (decoded.problems.length > 0) return [];
  const rules: string[] = [];
  let inFence = false;
  for (const line of decoded.text.split(/\r?\n/)) {
    if (/^\s*(`{3,}|~{3,})/.test(line)) inFence = !inFence;
    if (inFence) continue;
    const m = /^\s*[-*]\s+(.+)$/.exec(line);
    if (m) rules.push(m[1]!.length > 200 ? `${m[1]!.slice(0, 200)}…` : m[1]!);
    if (rules.length >= max) break;
  }
  return rules;
}

/** The snapshot as markdown for the context block (CLAUDE.md's rules are left out: CLAUDE.md is there in full). */
export function renderSnapshot(s: ProjectSnapshot): string {
  const t = s.techStack;
  const list = (xs: readonly string[]) => (xs.length > 0 ? xs.join(', ') : 'none');
  const out = [
    `Project: ${s.name}`,
    `Tech stack: languages ${list(t.languages)}; frameworks ${list(t.frameworks)}; database ${t.database}; ` +
      `tests ${t.testRunner}; linters ${list(t.linters)}; package manager ${t.packageManager}`,
    '',
    `Tree (${s.tree.files} files${s.tree.truncated ? ', summary cut' : ''}):`,
    ...s.tree.lines.map((l) => `  ${l}`),
  ];
  if (s.dependencies.length > 0) {
    out.push('', 'Dependencies:');
    for (const d of s.dependencies) {
      out.push(`  ${d.file}: ${d.entries.join(', ')}${d.more > 0 ? `, … ${d.more} more` : ''}`);
    }
  }
  out.push(
    '',
    `Tests: runner ${s.tests.runner}; ${s.tests.files} test files` +
      (s.tests.directories.length > 0 ? ` in ${s.tests.directories.join(', ')}` : '') +
      (s.tests.examples.length > 0 ? `; e.g. ${s.tests.examples.join(', ')}` : ''),
  );
  if (s.git) {
    out.push('', `Git: branch ${s.git.branch ?? '(unknown)'}`);
    if (s.git.commits.length > 0) out.push('  Recent commits:', ...s.git.commits.map((c) => `    ${c}`));
    out.push(
      s.git.changes.length > 0
        ? `  Uncommitted changes:\n${s.git.changes.map((c) => `    ${c}`).join('\n')}`
        : '  Working tree clean.',
    );
  } else out.push('', 'Git: not a git repository.');
  return out.join('\n');
}
