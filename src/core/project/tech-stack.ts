/**
 * Tech-stack detection: what languages, frameworks, databases, test runner, linters and package manager a
 * project uses, read from its manifests (package.json + lockfiles, pyproject.toml / requirements*.txt,
 * go.mod, Cargo.toml, compose files, example env files). Malformed manifests never make detection fail:
 * it returns what could be read and the problems found.
 */
import * as path from 'node:path';
import type { Problem } from '../problems';
import type { Workspace } from '../workspace';
import { SECONDARY_DATABASES } from './detect/catalog';
import { detectComposeDatabases } from './detect/compose';
import { detectUrlDatabases } from './detect/database-urls';
import { DATABASE_SOURCE_RANK, type DatabaseFinding, type Ecosystem, type EcosystemFindings } from './detect/findings';
import { detectGo } from './detect/go';
import { detectNode } from './detect/node';
import { rootEntries } from './detect/project-file';
import { detectPython } from './detect/python';
import { detectRust } from './detect/rust';
import { emptyTechStack, type TechStack } from './facts';

export interface DetectedProject {
  techStack: TechStack;
  /** From the primary manifest, else the folder's name; single line, control characters removed. */
  name: string;
  /** From the primary manifest, or empty. */
  description: string;
  /** package.json `scripts` (null-prototype object). */
  scripts: Record<string, string>;
  /** Every ecosystem found, the primary one first. */
  ecosystems: Ecosystem[];
  /** Each ecosystem's package manager, the primary one first (`npm` and `uv` in a mixed repository). */
  packageManagers: string[];
  /** Every test runner found, the primary one first. */
  testRunners: string[];
  /** Problems in the manifests (they were read as far as possible). */
  problems: Problem[];
}

const MAX_TEXT = 200;

/** Everything detection learns about the project, with problems. */
export async function detectProject(workspace: Workspace): Promise<DetectedProject> {
  const rootNames = await rootEntries(workspace);
  const detectors = [detectNode, detectPython, detectGo, detectRust];
  const results = await Promise.all(detectors.map((d) => d(workspace, rootNames)));
  const compose = await detectComposeDatabases(workspace, rootNames);
  const urls = await detectUrlDatabases(workspace, rootNames);
  const problems = [...results.flatMap((r) => r.problems), ...compose.problems, ...urls.problems];

  const found = results.flatMap((r) => (r.findings ? [r.findings] : []));
  // The ecosystem declaring the most dependencies is the primary one; a package.json that only holds
  // tooling (formatters, git hooks) never outranks a real manifest of another language.
  const ranked = found
    .map((f, index) => ({ f, index, score: f.toolingOnly && found.length > 1 ? -1 : f.dependencyCount }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((r) => r.f);

  const stack = emptyTechStack();
  const union = (pick: (f: EcosystemFindings) => string[]): string[] => [...new Set(ranked.flatMap(pick))];
  stack.languages = union((f) => f.languages.toArray());
  stack.frameworks = union((f) => f.frameworks.toArray());
  stack.linters = union((f) => f.linters.toArray());
  const testRunners = union((f) => f.testRunners.toArray());
  stack.testRunner = testRunners[0] ?? 'none';
  const packageManagers = union((f) => (f.packageManager === 'none' ? [] : [f.packageManager]));
  stack.packageManager = packageManagers[0] ?? 'none';
  stack.databases = orderDatabases([...ranked.flatMap((f) => f.databases), ...urls.databases, ...compose.databases]);
  stack.database = stack.databases[0] ?? 'none';

  const primary = ranked[0];
  const scripts: Record<string, string> = Object.create(null);
  const node = ranked.find((f) => f.ecosystem === 'node');
  if (node) Object.assign(scripts, node.scripts);
  return {
    techStack: stack,
    name: cleanText(primary?.name) || cleanText(path.basename(workspace.root)) || 'project',
    description: cleanText(primary?.description),
    scripts,
    ecosystems: ranked.map((f) => f.ecosystem),
    packageManagers,
    testRunners,
    problems,
  };
}

/** Just the tech stack (problems dropped) — what PRP conditionals and templates are resolved against. */
export async function detectTechStack(workspace: Workspace): Promise<TechStack> {
  return (await detectProject(workspace)).techStack;
}

/**
 * The primary database first: the strongest evidence (a Prisma datasource, then a driver dependency, then a
 * URL, then a compose service) of a database that is not a cache; then the others in the order found.
 */
export function orderDatabases(findings: readonly DatabaseFinding[]): string[] {
  const ranked = findings
    .map((d, index) => ({ d, index }))
    .sort(
      (a, b) =>
        Number(SECONDARY_DATABASES.has(a.d.name)) - Number(SECONDARY_DATABASES.has(b.d.name)) ||
        DATABASE_SOURCE_RANK[a.d.source] - DATABASE_SOURCE_RANK[b.d.source] ||
        a.index - b.index,
    );
  const primary = ranked[0]?.d.name;
  const rest = findings.map((d) => d.name).filter((n) => n !== primary);
  return [...new Set(primary ? [primary, ...rest] : rest)];
}

/** One line of printable text: control, bidi and zero-width characters dropped, whitespace collapsed, capped. */
export function cleanText(value: string | undefined): string {
  if (!value) return '';
  const cleaned = value
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned.length > MAX_TEXT ? `${cleaned.slice(0, MAX_TEXT - 1)}…` : cleaned;
}
