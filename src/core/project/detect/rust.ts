/** Rust detection from Cargo.toml (package, dependency tables, workspace and target-specific dependencies). */
import type { Problem } from '../../problems';
import type { Workspace } from '../../workspace';
import { CRATE_FEATURE_DATABASES, CRATE_SIGNALS } from './catalog';
import { type DetectorResult, EcosystemFindings } from './findings';
import { isPlainObject } from './parse-json';
import { parseTomlFile } from './parse-toml';
import { readProjectFile } from './project-file';

/** Crates that work with several databases and name the one in use through a feature. */
const MULTI_DATABASE_CRATES = new Set(['sqlx', 'diesel', 'sea-orm', 'sea-query']);

export async function detectRust(workspace: Workspace, rootNames: readonly string[]): Promise<DetectorResult> {
  if (!rootNames.includes('Cargo.toml')) return { findings: undefined, problems: [] };
  const read = await readProjectFile(workspace, 'Cargo.toml');
  const problems: Problem[] = [...read.problems];
  const f = new EcosystemFindings('rust');
  f.languages.add('rust');
  f.packageManager = 'cargo';
  f.testRunners.add('cargo test');
  f.linters.add('clippy');
  f.linters.add('rustfmt');
  if (!read.file) return { findings: f, problems };

  const parsed = parseTomlFile(read.file.text, 'Cargo.toml');
  problems.push(...parsed.problems);
  const cargo = parsed.value;
  const pkg = isPlainObject(cargo.package) ? cargo.package : {};
  if (typeof pkg.name === 'string') f.name = pkg.name;
  if (typeof pkg.description === 'string') f.description = pkg.description;

  const tables: unknown[] = [cargo.dependencies, cargo['dev-dependencies'], cargo['build-dependencies']];
  if (isPlainObject(cargo.workspace)) tables.push(cargo.workspace.dependencies);
  if (isPlainObject(cargo.target)) {
    for (const target of Object.values(cargo.target)) {
      if (isPlainObject(target)) tables.push(target.dependencies, target['dev-dependencies']);
    }
  }
  const seen = new Set<string>();
  for (const table of tables) {
    if (!isPlainObject(table)) continue;
    for (const [crate, spec] of Object.entries(table)) {
      const name = isPlainObject(spec) && typeof spec.package === 'string' ? spec.package : crate;
      seen.add(name);
      const signals = CRATE_SIGNALS.get(name);
      if (signals) f.apply(signals);
      if (MULTI_DATABASE_CRATES.has(name) && isPlainObject(spec) && Array.isArray(spec.features)) {
        for (const feature of spec.features) {
          const db = typeof feature === 'string' ? CRATE_FEATURE_DATABASES.get(feature) : undefined;
          if (db) f.addDatabase(db, 'dependency');
        }
      }
    }
  }
  f.dependencyCount = seen.size;
  return { findings: f, problems };
}
