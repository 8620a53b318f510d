/**
 * Facts about a project that PRP conditionals (`## IF techStack.database === 'postgresql'`), templates and
 * CLAUDE.md are resolved against. Detected by `detectTechStack` from the project's manifests.
 */
export interface TechStack {
  /** e.g. `typescript`, `javascript`, `python`, `go`, `rust`. */
  languages: string[];
  /** e.g. `react`, `next`, `express`, `fastapi`, `django`, `gin`, `axum`. */
  frameworks: string[];
  /** The primary database (`postgresql`, `mysql`, `mongodb`, `sqlite`, `redis`…) or `none`. */
  database: string;
  /** Every database found (the primary one first). */
  databases: string[];
  /** e.g. `vitest`, `jest`, `mocha`, `pytest`, `go test`, `cargo test`, or `none`. */
  testRunner: string;
  /** e.g. `eslint`, `biome`, `ruff`, `mypy`, `golangci-lint`, `clippy`. */
  linters: string[];
  /** `npm`, `pnpm`, `yarn`, `bun`, `pip`, `poetry`, `uv`, `go`, `cargo`, or `none`. */
  packageManager: string;
}

export interface ProjectFacts {
  techStack: TechStack;
}

export function emptyTechStack(): TechStack {
  return {
    languages: [],
    frameworks: [],
    database: 'none',
    databases: [],
    testRunner: 'none',
    linters: [],
    packageManager: 'none',
  };
}
