import * as assert from 'node:assert/strict';
import { BUILTIN_MATCHERS } from '../../../src/core/gates/builtin-matchers';
import { detectTools, pickMatchers, pickMatchersDetailed } from '../../../src/core/gates/pick-matchers';

describe('pickMatchers', () => {
  const cases: [string, string[]][] = [
    ['tsc --noEmit', ['tsc']],
    ['npx tsc -p tsconfig.build.json', ['tsc']],
    ['npx -p typescript tsc --noEmit', ['tsc']],
    ['./node_modules/.bin/tsc', ['tsc']],
    ["'node_modules\\.bin\\tsc.cmd' -p .", ['tsc']],
    ['if pytest; then echo ok; fi', ['pytest']],
    ['pnpm exec eslint . --max-warnings 0', ['eslint']],
    ['yarn dlx eslint src', ['eslint']],
    ['go vet ./... && go test ./...', ['go']],
    ['golangci-lint run', ['go']],
    ['cargo clippy --all-targets -- -D warnings', ['rust']],
    ['RUST_BACKTRACE=1 cargo test --workspace', ['rust']],
    ['rustc src/main.rs', ['rust']],
    ['make -j4 all', ['gcc']],
    ['clang-14 -Wall -c a.c', ['gcc']],
    ['arm-none-eabi-gcc -c a.c', ['gcc']],
    ['cmake --build build', ['gcc']],
    ['dotnet build', ['msCompile']],
    ['msbuild /p:Configuration=Release', ['msCompile']],
    ['pytest -x tests/', ['pytest']],
    ['python -m pytest -q', ['pytest']],
    ['python3.12 -m mypy src', ['mypy']],
    ['uv run pytest', ['pytest']],
    ['poetry run mypy .', ['mypy']],
    ['ruff check . && mypy . && pytest', ['ruff', 'mypy', 'pytest']],
    ['flake8 --max-line-length 100', ['flake8']],
    ['jest --ci', ['jest']],
    ['npx vitest run --reporter=default', ['vitest']],
    ['CI=1 timeout 600 npx vitest run', ['vitest']],
    ['env NODE_ENV=test jest', ['jest']],
    ['time pytest 2>&1 | tee out.log', ['pytest']],
    ['cd web && npx tsc --noEmit; cd ../api && go build ./...', ['tsc', 'go']],
    ['tsc # then eslint', ['tsc']],
  ];
  for (const [command, tools] of cases) {
    it(`${command} → ${tools.join(', ')}`, () => {
      assert.deepEqual(detectTools(command), tools);
      assert.equal(pickMatchersDetailed(command).fallback, false);
    });
  }

  it('looks through npm/yarn/pnpm/bun scripts when given package.json scripts', () => {
    const scripts = {
      test: 'vitest run',
      lint: 'eslint . && tsc --noEmit',
      check: 'npm run lint && npm test',
      loop: 'npm run loop',
      'test:py': 'pytest',
    };
    assert.deepEqual(detectTools('npm test', { scripts }), ['vitest']);
    assert.deepEqual(detectTools('npm t', { scripts }), ['vitest']);
    assert.deepEqual(detectTools('npm run lint', { scripts }), ['eslint', 'tsc']);
    assert.deepEqual(detectTools('npm run check', { scripts }), ['eslint', 'tsc', 'vitest']);
    assert.deepEqual(detectTools('yarn lint', { scripts }), ['eslint', 'tsc']);
    assert.deepEqual(detectTools('pnpm run test:py', { scripts }), ['pytest']);
    assert.deepEqual(detectTools('bun run test', { scripts }), ['vitest']);
    assert.deepEqual(detectTools('npm run loop', { scripts }), [], 'a script that runs itself ends');
    assert.deepEqual(detectTools('npm run missing', { scripts }), []);
    assert.deepEqual(detectTools('yarn install', { scripts }), []);
  });

  it('falls back to every shipped matcher when no tool is recognized', () => {
    for (const command of ['npm test', './scripts/check.sh', 'bazel test //...', 'python manage.py test', '']) {
      const pick = pickMatchersDetailed(command);
      assert.equal(pick.fallback, true, command);
      assert.deepEqual(pick.matchers, [...BUILTIN_MATCHERS]);
    }
  });

  it('never reaches object prototypes from command words or script names', () => {
    for (const command of [
      'constructor',
      'toString x',
      'npm run __proto__',
      'npm run constructor',
      'yarn hasOwnProperty',
    ]) {
      assert.deepEqual(detectTools(command, { scripts: {} }), [], command);
    }
    // A script really named `__proto__` (an own key, as JSON.parse makes it) is an ordinary script.
    const scripts = JSON.parse('{"__proto__": "tsc"}') as Record<string, string>;
    assert.deepEqual(detectTools('npm run __proto__', { scripts }), ['tsc']);
  });

  it('does not choke on unbalanced quotes or shell syntax', () => {
    assert.deepEqual(detectTools('pytest -k "unterminated'), ['pytest']);
    assert.deepEqual(detectTools('(cd sub && cargo test) || true'), ['rust']);
    assert.deepEqual(detectTools('for f in *.c; do gcc -c "$f"; done'), ['gcc']);
  });

  it('returns each matcher once, in tool order', () => {
    const names = pickMatchers('cargo build && cargo test && tsc').map((m) => m.name);
    assert.equal(new Set(names).size, names.length);
    assert.equal(names[names.length - 1], 'tsc');
  });
});
