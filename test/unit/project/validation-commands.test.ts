import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { emptyTechStack, type TechStack } from '../../../src/core/project/facts';
import { detectProject } from '../../../src/core/project/tech-stack';
import { validationCommands } from '../../../src/core/project/validation-commands';
import { PROJECT_FIXTURES, workspaceAt } from '../../support/temp-project';

function stack(partial: Partial<TechStack>): TechStack {
  return { ...emptyTechStack(), ...partial };
}

async function commandsOf(fixture: string) {
  const d = await detectProject(workspaceAt(path.join(PROJECT_FIXTURES, fixture)));
  return validationCommands(d.techStack, d);
}

describe('validationCommands', () => {
  it('node + pnpm: only scripts that exist, with the pnpm prefix', async () => {
    const v = await commandsOf('node-ts-vitest-pg');
    assert.deepEqual(v.level1, ['pnpm run lint', 'pnpm run typecheck']);
    assert.deepEqual(v.level2, ['pnpm test']);
    assert.deepEqual(v.level3, ['pnpm run test:integration', 'pnpm run build']);
    assert.deepEqual(v.coverage, ['pnpm exec vitest run --coverage']);
  });

  it('python + poetry: ruff, mypy and pytest under `poetry run`', async () => {
    const v = await commandsOf('python-poetry-postgres');
    assert.deepEqual(v.level1, ['poetry run ruff check .', 'poetry run ruff format --check .', 'poetry run mypy .']);
    assert.deepEqual(v.level2, ['poetry run pytest -q']);
    assert.deepEqual(v.autofix, ['poetry run ruff check --fix .', 'poetry run ruff format .']);
  });

  it('go: vet, gofmt, golangci-lint, go test, go build', async () => {
    const v = await commandsOf('go-gin');
    assert.deepEqual(v.level1, ['go vet ./...', 'test -z "$(gofmt -l .)"', 'golangci-lint run']);
    assert.deepEqual(v.level2, ['go test ./...']);
    assert.deepEqual(v.level3, ['go build ./...']);
  });

  it('rust: fmt check, clippy with warnings as errors, cargo test', async () => {
    const v = await commandsOf('rust-axum');
    assert.deepEqual(v.level1, ['cargo fmt --all -- --check', 'cargo clippy --all-targets -- -D warnings']);
    assert.deepEqual(v.level2, ['cargo test']);
  });

  it('mixed uv + npm: python commands under `uv run`, the primary ecosystem first', async () => {
    const v = await commandsOf('mixed-uv-node');
    assert.deepEqual(v.level1, ['uv run ruff check .', 'uv run ruff format --check .']);
    assert.deepEqual(v.level2, ['uv run pytest -q']);
    assert.deepEqual(v.level3, ['uv run python manage.py check']);
    assert.ok(v.autofix.includes('npm run format'));
  });

  it('TypeScript without a typecheck script gets `npx tsc --noEmit`, unless the lint script runs tsc', () => {
    const ts = stack({ languages: ['typescript'], packageManager: 'npm', linters: ['eslint'] });
    assert.deepEqual(validationCommands(ts, { scripts: { lint: 'eslint .' } }).level1, [
      'npm run lint',
      'npx tsc --noEmit',
    ]);
    assert.deepEqual(validationCommands(ts, { scripts: { lint: 'tsc --noEmit && eslint .' } }).level1, [
      'npm run lint',
    ]);
    assert.deepEqual(validationCommands(ts, {}).level1, ['npx eslint .', 'npx tsc --noEmit']);
  });

  it("npm's placeholder test script is not a gate; a runner fallback is used instead", () => {
    const js = stack({ languages: ['javascript'], packageManager: 'npm', testRunner: 'mocha' });
    const v = validationCommands(js, { scripts: { test: 'echo "Error: no test specified" && exit 1' } });
    assert.deepEqual(v.level2, ['npx mocha']);
    assert.deepEqual(validationCommands(stack({ languages: ['javascript'] }), {}).level2, []);
  });

  it('yarn and bun run scripts their own way', () => {
    const js = stack({ languages: ['javascript'] });
    const scripts = { lint: 'x', test: 'y' };
    assert.deepEqual(validationCommands(js, { scripts, packageManagers: ['yarn'] }), {
      level1: ['yarn lint'],
      level2: ['yarn test'],
      level3: [],
      level4: [],
      coverage: [],
      security: ['yarn audit'],
      autofix: [],
    });
    // `bun test` would run bun's own runner, not the script.
    assert.deepEqual(validationCommands(js, { scripts, packageManagers: ['bun'] }).level2, ['bun run test']);
  });

  it('a plain pip project gets no prefix; black/flake8 only when ruff is absent', () => {
    const py = stack({
      languages: ['python'],
      packageManager: 'pip',
      testRunner: 'pytest',
      linters: ['black', 'flake8'],
    });
    const v = validationCommands(py, {});
    assert.deepEqual(v.level1, ['black --check .', 'flake8 .']);
    assert.deepEqual(v.level2, ['pytest -q']);
  });

  it('nothing detected: no commands at all (templates then show a [TODO] placeholder)', () => {
    const v = validationCommands(emptyTechStack(), {});
    assert.deepEqual(Object.values(v).flat(), []);
  });

  it('script names only come from a fixed list, never from arbitrary package.json keys', () => {
    const js = stack({ languages: ['javascript'], packageManager: 'npm' });
    const v = validationCommands(js, { scripts: { 'lint; rm -rf /': 'x', '$(reboot)': 'y' } });
    assert.deepEqual(Object.values(v).flat(), ['npm audit --audit-level=high']);
  });
});
