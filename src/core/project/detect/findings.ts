/** What one ecosystem's manifests (or the compose files, or example configs) told detection. */
import type { Problem } from '../../problems';
import type { Signal } from './catalog';

export type Ecosystem = 'node' | 'python' | 'go' | 'rust';

/** Where a database was seen; lower ranks are stronger evidence of the primary database. */
export const DATABASE_SOURCE_RANK = { schema: 0, dependency: 1, url: 2, compose: 3 } as const;
export type DatabaseSource = keyof typeof DATABASE_SOURCE_RANK;

export interface DatabaseFinding {
  name: string;
  source: DatabaseSource;
}

/** An ordered set: insertion order, no duplicates. */
export class OrderedSet {
  private readonly items: string[] = [];
  add(value: string): void {
    if (value && !this.items.includes(value)) this.items.push(value);
  }
  /** Puts `value` first (adding it when absent). */
  moveToFront(value: string): void {
    const i = this.items.indexOf(value);
    if (i >= 0) this.items.splice(i, 1);
    this.items.unshift(value);
  }
  has(value: string): boolean {
    return this.items.includes(value);
  }
  toArray(): string[] {
    return [...this.items];
  }
  get size(): number {
    return this.items.length;
  }
}

export class EcosystemFindings {
  readonly languages = new OrderedSet();
  readonly frameworks = new OrderedSet();
  readonly testRunners = new OrderedSet();
  readonly linters = new OrderedSet();
  readonly databases: DatabaseFinding[] = [];
  packageManager = 'none';
  /** How many dependencies the manifests declare: the ecosystem with most is the project's primary one. */
  dependencyCount = 0;
  /** The manifest only holds tooling (a package.json for formatters or git hooks in a Go or Python repo). */
  toolingOnly = false;
  name: string | undefined;
  description: string | undefined;
  /** package.json scripts (null-prototype), for validation commands. */
  scripts: Record<string, string> = Object.create(null);

  constructor(readonly ecosystem: Ecosystem) {}

  addDatabase(name: string, source: DatabaseSource): void {
    this.databases.push({ name, source });
  }

  apply(signals: readonly Signal[], source: DatabaseSource = 'dependency'): void {
    for (const s of signals) {
      if (s.role === 'framework') this.frameworks.add(s.value);
      else if (s.role === 'database') this.addDatabase(s.value, source);
      else if (s.role === 'testRunner') this.testRunners.add(s.value);
      else this.linters.add(s.value);
    }
  }
}

export interface DetectorResult {
  findings: EcosystemFindings | undefined;
  problems: Problem[];
}
