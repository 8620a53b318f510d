/** Node/TypeScript detection: package.json, lockfiles, tsconfig, linter configs, Prisma's datasource. */
import type { Problem } from '../../problems';
import type { Workspace } from '../../workspace';
import { NPM_SIGNALS, PRISMA_PROVIDERS } from './catalog';
import { type DetectorResult, EcosystemFindings } from './findings';
import { isPlainObject, keysOf, parseJsonFile, stringEntries } from './parse-json';
import { exists, readProjectFile } from './project-file';

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];

/** Lockfiles in order of precedence (a repository holding two is usually mid-migration to the first). */
const LOCKFILES: Array<[string, string]> = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['yarn.lock', 'yarn'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];

const KNOWN_PACKAGE_MANAGERS = new Set(['npm', 'pnpm', 'yarn', 'bun']);

const LINTER_CONFIGS: Array<[RegExp, string]> = [
  [/^(\.eslintrc(\..+)?|eslint\.config\.(js|mjs|cjs|ts|mts|cts))$/, 'eslint'],
  [/^biome\.jsonc?$/, 'biome'],
  [/^(\.prettierrc(\..+)?|prettier\.config\.(js|mjs|cjs|ts))$/, 'prettier'],
  [/^\.oxlintrc\.json$/, 'oxlint'],
];

export async function detectNode(workspace: Workspace, rootNames: readonly string[]): Promise<DetectorResult> {
  const problems: Problem[] = [];
  const read = await readProjectFile(workspace, 'package.json');
  problems.push(...read.problems);
  const hasTsconfig = rootNames.includes('tsconfig.json');
  if (!read.file && !rootNames.includes('package.json') && !hasTsconfig) return { findings: undefined, problems };

  const f = new EcosystemFindings('node');
  let manifest: Record<string, unknown> = {};
  if (read.file) {
    const parsed = parseJsonFile(read.file.text, 'package.json');
    problems.push(...parsed.problems);
    if (isPlainObject(parsed.value)) manifest = parsed.value;
  }

  const deps = new Set<string>();
  for (const field of DEPENDENCY_FIELDS) for (const name of keysOf(manifest[field])) deps.add(name);
  f.dependencyCount = deps.size;
  for (const name of deps) {
    const signals = NPM_SIGNALS.get(name);
    if (signals) f.apply(signals);
  }
  if (isPlainObject(manifest.engines) && typeof manifest.engines.vscode === 'string')
    f.frameworks.add('vscode-extension');

  for (const [name, command] of stringEntries(manifest.scripts)) f.scripts[name] = command;
  if (typeof manifest.name === 'string') f.name = manifest.name;
  if (typeof manifest.description === 'string') f.description = manifest.description;

  f.languages.add(deps.has('typescript') || hasTsconfig ? 'typescript' : 'javascript');

  for (const name of rootNames) for (const [re, linter] of LINTER_CONFIGS) if (re.test(name)) f.linters.add(linter);

  orderTestRunners(f, f.scripts.test);
  f.toolingOnly =
    keysOf(manifest.dependencies).length === 0 &&
    !f.languages.has('typescript') &&
    f.testRunners.size === 0 &&
    f.frameworks.size === 0;
  f.packageManager = await packageManagerOf(workspace, manifest, rootNames);

  if (deps.has('prisma') || deps.has('@prisma/client')) problems.push(...(await prismaDatabase(workspace, f)));
  return { findings: f, problems };
}

/** The runner named by the `test` script goes first; `node --test` and `bun test` count as runners too. */
function orderTestRunners(f: EcosystemFindings, testScript: string | undefined): void {
  const found = f.testRunners.toArray();
  const script = testScript ?? '';
  const named = found.find((r) => new RegExp(`(^|[\\s/&|;(])${r}(\\s|$|;|&)`).test(script));
  const builtin = /(^|[\s;&|])node\s[^;&|]*--test\b/.test(script)
    ? 'node:test'
    : /(^|\s)bun\s+test\b/.test(script)
      ? 'bun test'
      : undefined;
  const first = named ?? builtin;
  if (first) f.testRunners.moveToFront(first);
}

async function packageManagerOf(
  workspace: Workspace,
  manifest: Record<string, unknown>,
  rootNames: readonly string[],
): Promise<string> {
  // Corepack's `packageManager` field ("pnpm@9.1.0+sha512…") is the project's explicit choice.
  if (typeof manifest.packageManager === 'string') {
    const name = manifest.packageManager.split('@')[0]?.trim() ?? '';
    if (KNOWN_PACKAGE_MANAGERS.has(name)) return name;
  }
  for (const [file, pm] of LOCKFILES) if (rootNames.includes(file) || (await exists(workspace, file))) return pm;
  return 'npm';
}

/** `datasource db { provider = "postgresql" }` in the Prisma schema names the database exactly. */
async function prismaDatabase(workspace: Workspace, f: EcosystemFindings): Promise<Problem[]> {
  for (const candidate of ['prisma/schema.prisma', 'schema.prisma']) {
    const read = await readProjectFile(workspace, candidate);
    if (!read.file) {
      if (read.problems.length) return read.problems;
      continue;
    }
    const block = /datasource\s+\w+\s*\{([^}]*)\}/.exec(read.file.text);
    const provider = block && /provider\s*=\s*"([^"]+)"/.exec(block[1] ?? '');
    const db = provider ? PRISMA_PROVIDERS.get(provider[1] ?? '') : undefined;
    if (db) f.addDatabase(db, 'schema');
    return [];
  }
  return [];
}
