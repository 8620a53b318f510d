/**
 * The validation commands a project's PRPs, slash commands and CLAUDE.md show, per level of the PRP
 * Validation Loop — derived from the detected stack and the scripts that actually exist, so every command
 * is one the project can run (`npm run lint` only when there is a `lint` script, `uv run pytest` under uv…).
 */
import type { TechStack } from './facts';

export interface ValidationCommands {
  /** Level 1 — syntax, style, types. */
  level1: string[];
  /** Level 2 — unit tests. */
  level2: string[];
  /** Level 3 — integration tests and the build. */
  level3: string[];
  /** Level 4 — domain-specific checks (left to each PRP unless the stack implies one). */
  level4: string[];
  /** Test coverage. */
  coverage: string[];
  /** Dependency vulnerability audit. */
  security: string[];
  /** Formatters and linters' fix modes. */
  autofix: string[];
}

export interface CommandContext {
  /** package.json scripts. */
  scripts?: Readonly<Record<string, string>>;
  /** Every ecosystem's package manager (a mixed repository has e.g. `pnpm` and `uv`). */
  packageManagers?: readonly string[];
  /** Every test runner found. */
  testRunners?: readonly string[];
}

const NODE_PMS = ['npm', 'pnpm', 'yarn', 'bun'];
const PYTHON_PMS = ['uv', 'poetry', 'pdm', 'hatch', 'pipenv', 'pip'];
const PYTHON_PREFIX: Record<string, string> = {
  uv: 'uv run ',
  poetry: 'poetry run ',
  pdm: 'pdm run ',
  hatch: 'hatch run ',
  pipenv: 'pipenv run ',
  pip: '',
};
/** npm's generated placeholder: `echo "Error: no test specified" && exit 1`. */
const PLACEHOLDER_TEST = /no test specified/;

export function emptyValidationCommands(): ValidationCommands {
  return { level1: [], level2: [], level3: [], level4: [], coverage: [], security: [], autofix: [] };
}

export function validationCommands(techStack: TechStack, project: CommandContext = {}): ValidationCommands {
  const out = emptyValidationCommands();
  const pms = project.packageManagers?.length ? project.packageManagers : [techStack.packageManager];
  const runners = new Set([techStack.testRunner, ...(project.testRunners ?? [])]);
  const linters = new Set(techStack.linters);
  const scripts = project.scripts ?? {};
  const has = (name: string): boolean => Object.hasOwn(scripts, name) && typeof scripts[name] === 'string';

  const ecosystems: string[] = [];
  for (const lang of techStack.languages) {
    const eco = lang === 'typescript' || lang === 'javascript' ? 'node' : lang;
    if (!ecosystems.includes(eco)) ecosystems.push(eco);
  }
  for (const eco of ecosystems) {
    if (eco === 'node')
      addNode(out, pms.find((p) => NODE_PMS.includes(p)) ?? 'npm', techStack, has, scripts, runners, linters);
    else if (eco === 'python')
      addPython(out, pms.find((p) => PYTHON_PMS.includes(p)) ?? 'pip', techStack, runners, linters);
    else if (eco === 'go') addGo(out, linters);
    else if (eco === 'rust') addRust(out);
  }
  for (const key of Object.keys(out) as Array<keyof ValidationCommands>) out[key] = [...new Set(out[key])];
  return out;
}

function addNode(
  out: ValidationCommands,
  pm: string,
  stack: TechStack,
  has: (name: string) => boolean,
  scripts: Readonly<Record<string, string>>,
  runners: ReadonlySet<string>,
  linters: ReadonlySet<string>,
): void {
  const run = (script: string): string => {
    if (pm === 'npm') return script === 'test' ? 'npm test' : `npm run ${script}`;
    if (pm === 'yarn') return `yarn ${script}`;
    if (pm === 'pnpm') return script === 'test' ? 'pnpm test' : `pnpm run ${script}`;
    return `bun run ${script}`;
  };
  const exec = (command: string): string =>
    pm === 'pnpm'
      ? `pnpm exec ${command}`
      : pm === 'yarn'
        ? `yarn ${command}`
        : pm === 'bun'
          ? `bunx ${command}`
          : `npx ${command}`;
  const first = (...names: string[]): string | undefined => names.find(has);

  // Level 1: lint, type-check, format check.
  const lint = first('lint');
  if (lint) out.level1.push(run(lint));
  else if (first('check')) out.level1.push(run('check'));
  else if (linters.has('biome')) out.level1.push(exec('biome check .'));
  else if (linters.has('eslint')) out.level1.push(exec('eslint .'));
  else if (linters.has('oxlint')) out.level1.push(exec('oxlint'));
  const typecheck = first('typecheck', 'type-check', 'check-types', 'types', 'tsc');
  if (typecheck) out.level1.push(run(typecheck));
  else if (stack.languages.includes('typescript') && !/\btsc\b/.test(lint ? (scripts[lint] ?? '') : '')) {
    out.level1.push(exec('tsc --noEmit'));
  }
  const format = first('format:check', 'fmt:check', 'prettier:check', 'check-format', 'format-check');
  if (format) out.level1.push(run(format));

  // Level 2: unit tests.
  const unit = first('test:unit', 'unit');
  const test = has('test') && !PLACEHOLDER_TEST.test(scripts.test ?? '') ? 'test' : undefined;
  if (unit) out.level2.push(run(unit));
  else if (test) out.level2.push(run(test));
  else if (runners.has('vitest')) out.level2.push(exec('vitest run'));
  else if (runners.has('jest')) out.level2.push(exec('jest'));
  else if (runners.has('mocha')) out.level2.push(exec('mocha'));
  else if (runners.has('ava')) out.level2.push(exec('ava'));
  else if (runners.has('node:test')) out.level2.push('node --test');
  else if (runners.has('bun test')) out.level2.push('bun test');

  // Level 3: integration / end-to-end tests, then the build.
  for (const name of ['test:integration', 'integration', 'test:int', 'test:e2e', 'e2e'])
    if (has(name)) out.level3.push(run(name));
  if (out.level3.length === 0 && runners.has('playwright')) out.level3.push(exec('playwright test'));
  if (has('build')) out.level3.push(run('build'));

  const coverage = first('coverage', 'test:coverage', 'test:cov');
  if (coverage) out.coverage.push(run(coverage));
  else if (runners.has('vitest')) out.coverage.push(exec('vitest run --coverage'));
  else if (runners.has('jest')) out.coverage.push(exec('jest --coverage'));
  else if (runners.has('node:test')) out.coverage.push('node --test --experimental-test-coverage');

  if (pm === 'npm') out.security.push('npm audit --audit-level=high');
  else if (pm === 'pnpm') out.security.push('pnpm audit --audit-level high');
  else if (pm === 'yarn') out.security.push('yarn audit');

  const fix = first('lint:fix', 'fix', 'format');
  if (fix) out.autofix.push(run(fix));
  else if (linters.has('biome')) out.autofix.push(exec('biome check --write .'));
  else {
    if (linters.has('eslint')) out.autofix.push(exec('eslint . --fix'));
    if (linters.has('prettier')) out.autofix.push(exec('prettier --write .'));
  }
}

function addPython(
  out: ValidationCommands,
  pm: string,
  stack: TechStack,
  runners: ReadonlySet<string>,
  linters: ReadonlySet<string>,
): void {
  const p = PYTHON_PREFIX[pm] ?? '';
  if (linters.has('ruff')) out.level1.push(`${p}ruff check .`, `${p}ruff format --check .`);
  if (linters.has('black') && !linters.has('ruff')) out.level1.push(`${p}black --check .`);
  if (linters.has('isort') && !linters.has('ruff')) out.level1.push(`${p}isort --check-only .`);
  if (linters.has('flake8') && !linters.has('ruff')) out.level1.push(`${p}flake8 .`);
  if (linters.has('mypy')) out.level1.push(`${p}mypy .`);
  if (linters.has('pyright')) out.level1.push(`${p}pyright`);

  if (runners.has('pytest')) {
    out.level2.push(`${p}pytest -q`);
    out.coverage.push(`${p}pytest --cov --cov-report=term-missing`);
  }
  if (stack.frameworks.includes('django')) out.level3.push(`${p}python manage.py check`);
  out.security.push(`${p}pip-audit`);

  if (linters.has('ruff')) out.autofix.push(`${p}ruff check --fix .`, `${p}ruff format .`);
  else {
    if (linters.has('black')) out.autofix.push(`${p}black .`);
    if (linters.has('isort')) out.autofix.push(`${p}isort .`);
  }
}

function addGo(out: ValidationCommands, linters: ReadonlySet<string>): void {
  out.level1.push('go vet ./...', 'test -z "$(gofmt -l .)"');
  if (linters.has('golangci-lint')) out.level1.push('golangci-lint run');
  out.level2.push('go test ./...');
  out.level3.push('go build ./...');
  out.coverage.push('go test -coverprofile=coverage.out ./...', 'go tool cover -func=coverage.out');
  out.security.push('govulncheck ./...');
  out.autofix.push('gofmt -w .');
  if (linters.has('golangci-lint')) out.autofix.push('golangci-lint run --fix');
}

function addRust(out: ValidationCommands): void {
  out.level1.push('cargo fmt --all -- --check', 'cargo clippy --all-targets -- -D warnings');
  out.level2.push('cargo test');
  out.level3.push('cargo build --release');
  out.security.push('cargo audit');
  out.autofix.push('cargo fmt --all', 'cargo clippy --fix --allow-dirty --allow-staged');
}
