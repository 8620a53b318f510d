import * as assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { databaseOfImage } from '../../../src/core/project/detect/compose';
import { databasesInText } from '../../../src/core/project/detect/database-urls';
import { parseGoMod } from '../../../src/core/project/detect/go';
import { requirementNames } from '../../../src/core/project/detect/python';
import { loadProjectFacts, loadProjectFactsWithProblems } from '../../../src/core/project/load-facts';
import { cleanText, detectProject, detectTechStack, orderDatabases } from '../../../src/core/project/tech-stack';
import { copyFixture, PROJECT_FIXTURES, removeTempDirs, tempDir, workspaceAt } from '../../support/temp-project';

const fixture = (name: string) => workspaceAt(path.join(PROJECT_FIXTURES, name));

function project(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

describe('tech-stack detection', () => {
  afterEach(removeTempDirs);

  describe('fixture projects', () => {
    it('node + TypeScript + vitest + pnpm + PostgreSQL (from the Prisma datasource)', async () => {
      const d = await detectProject(fixture('node-ts-vitest-pg'));
      assert.deepEqual(d.techStack, {
        languages: ['typescript'],
        frameworks: ['fastify'],
        database: 'postgresql',
        databases: ['postgresql', 'redis'],
        testRunner: 'vitest',
        linters: ['tsc', 'eslint'],
        packageManager: 'pnpm',
      });
      assert.equal(d.name, 'orders-api');
      assert.equal(d.description, 'Order management API');
      assert.equal(d.scripts.typecheck, 'tsc --noEmit');
      assert.deepEqual(d.problems, []);
    });

    it('python + poetry + pytest + ruff + mypy, PostgreSQL from the driver and compose', async () => {
      const d = await detectProject(fixture('python-poetry-postgres'));
      assert.deepEqual(d.techStack, {
        languages: ['python'],
        frameworks: ['fastapi'],
        database: 'postgresql',
        databases: ['postgresql', 'redis'],
        testRunner: 'pytest',
        linters: ['ruff', 'mypy'],
        packageManager: 'poetry',
      });
      assert.equal(d.name, 'billing-service');
    });

    it('go with gin, pgx, go-redis, testify and golangci-lint', async () => {
      const s = await detectTechStack(fixture('go-gin'));
      assert.deepEqual(s, {
        languages: ['go'],
        frameworks: ['gin'],
        database: 'postgresql',
        databases: ['postgresql', 'redis'],
        testRunner: 'go test',
        linters: ['go vet', 'golangci-lint'],
        packageManager: 'go',
      });
    });

    it('rust with axum and sqlx[sqlite]', async () => {
      const s = await detectTechStack(fixture('rust-axum'));
      assert.deepEqual(s, {
        languages: ['rust'],
        frameworks: ['axum'],
        database: 'sqlite',
        databases: ['sqlite'],
        testRunner: 'cargo test',
        linters: ['clippy', 'rustfmt'],
        packageManager: 'cargo',
      });
    });

    it('mixed: a uv Python app with a tooling-only package.json is primarily Python', async () => {
      const d = await detectProject(fixture('mixed-uv-node'));
      assert.deepEqual(d.techStack.languages, ['python', 'javascript']);
      assert.equal(d.techStack.packageManager, 'uv');
      assert.deepEqual(d.packageManagers, ['uv', 'npm']);
      assert.equal(d.techStack.testRunner, 'pytest');
      assert.deepEqual(d.techStack.frameworks, ['django']);
      assert.equal(d.techStack.database, 'mongodb');
      assert.ok(d.techStack.linters.includes('ruff') && d.techStack.linters.includes('prettier'));
      assert.equal(d.name, 'scraper');
      assert.equal(d.scripts.format, 'prettier --write .');
    });

    it('requirements*.txt with pip, and the database from an SQLAlchemy URL in .env.example', async () => {
      const s = await detectTechStack(fixture('python-requirements-sqlalchemy'));
      assert.deepEqual(s, {
        languages: ['python'],
        frameworks: ['flask'],
        database: 'mysql',
        databases: ['mysql'],
        testRunner: 'pytest',
        linters: ['black'],
        packageManager: 'pip',
      });
    });

    it('malformed manifests: positioned problems, and whatever could still be read', async () => {
      const d = await detectProject(fixture('malformed'));
      const byFile = new Map(d.problems.map((p) => [p.file, p]));
      assert.deepEqual(
        [...byFile.keys()].sort(),
        ['Cargo.toml', 'docker-compose.yml', 'go.mod', 'package.json', 'pyproject.toml'].sort(),
      );
      assert.deepEqual(pick(byFile.get('package.json')), { line: 4, column: 21, rule: 'json-syntax' });
      assert.deepEqual(pick(byFile.get('pyproject.toml')), { line: 1, column: 9, rule: 'toml-syntax' });
      assert.deepEqual(pick(byFile.get('Cargo.toml')), { line: 3, column: 11, rule: 'toml-syntax' });
      assert.deepEqual(pick(byFile.get('go.mod')), { line: 3, column: 1, rule: 'go-mod-syntax' });
      assert.deepEqual(pick(byFile.get('docker-compose.yml')), { line: 4, column: 7, rule: 'yaml-alias' });
      // The go.mod require before the unclosed block end still counts; the TOML headers still name ruff and mypy.
      assert.equal(d.techStack.database, 'postgresql');
      assert.ok(d.techStack.linters.includes('ruff') && d.techStack.linters.includes('mypy'));
      assert.deepEqual([...d.techStack.languages].sort(), ['go', 'javascript', 'python', 'rust']);
    });

    it('an empty folder is "none" everywhere, named after the folder', async () => {
      const dir = tempDir('ccf-empty-');
      const d = await detectProject(workspaceAt(dir));
      assert.deepEqual(d.techStack, {
        languages: [],
        frameworks: [],
        database: 'none',
        databases: [],
        testRunner: 'none',
        linters: [],
        packageManager: 'none',
      });
      assert.equal(d.name, path.basename(dir));
    });
  });

  describe('node details', () => {
    it('lockfiles decide the package manager, the packageManager field overrides them', async () => {
      const cases: Array<[Record<string, string>, string]> = [
        [{ 'package.json': '{}', 'package-lock.json': '{}' }, 'npm'],
        [{ 'package.json': '{}', 'yarn.lock': '' }, 'yarn'],
        [{ 'package.json': '{}', 'pnpm-lock.yaml': '' }, 'pnpm'],
        [{ 'package.json': '{}', 'bun.lockb': '' }, 'bun'],
        [{ 'package.json': '{}', 'bun.lock': '' }, 'bun'],
        [{ 'package.json': '{}' }, 'npm'],
        [{ 'package.json': '{"packageManager":"yarn@4.5.0"}', 'package-lock.json': '{}' }, 'yarn'],
        [{ 'package.json': '{"packageManager":"nonsense@1"}', 'pnpm-lock.yaml': '' }, 'pnpm'],
      ];
      for (const [files, expected] of cases) {
        const s = await detectTechStack(workspaceAt(project(files)));
        assert.equal(s.packageManager, expected, JSON.stringify(files));
      }
    });

    it('the runner named by the test script wins over other installed runners', async () => {
      const pkg = { scripts: { test: 'jest --ci' }, devDependencies: { vitest: '1', jest: '29' } };
      const s = await detectTechStack(workspaceAt(project({ 'package.json': JSON.stringify(pkg) })));
      assert.equal(s.testRunner, 'jest');
      const builtin = { scripts: { test: 'node --import tsx --test test/*.ts' } };
      const t = await detectTechStack(workspaceAt(project({ 'package.json': JSON.stringify(builtin) })));
      assert.equal(t.testRunner, 'node:test');
    });

    it('javascript without TypeScript; tsconfig.json alone means TypeScript', async () => {
      assert.deepEqual((await detectTechStack(workspaceAt(project({ 'package.json': '{}' })))).languages, [
        'javascript',
      ]);
      const ts = project({ 'package.json': '{}', 'tsconfig.json': '{}' });
      assert.deepEqual((await detectTechStack(workspaceAt(ts))).languages, ['typescript']);
    });

    it('database drivers map to databases; the Prisma provider beats a compose image', async () => {
      const pkg = { dependencies: { mongoose: '8', '@prisma/client': '5' } };
      const dir = project({
        'package.json': JSON.stringify(pkg),
        'prisma/schema.prisma': 'datasource db {\n  provider = "mysql"\n  url = env("X")\n}\n',
        'compose.yaml': 'services:\n  db:\n    image: docker.io/library/postgres:16\n',
      });
      const s = await detectTechStack(workspaceAt(dir));
      assert.equal(s.database, 'mysql');
      assert.deepEqual(s.databases, ['mysql', 'mongodb', 'postgresql']);
    });

    it('dependency names such as __proto__ and constructor are plain misses', async () => {
      const text = '{"dependencies":{"__proto__":{"polluted":true},"constructor":"1","toString":"2","pg":"8"}}';
      const s = await detectTechStack(workspaceAt(project({ 'package.json': text })));
      assert.deepEqual(s.databases, ['postgresql']);
      assert.deepEqual(s.frameworks, []);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });

    it('a VS Code extension manifest is recognised', async () => {
      const pkg = { engines: { vscode: '^1.90.0' }, devDependencies: { typescript: '5' } };
      const s = await detectTechStack(workspaceAt(project({ 'package.json': JSON.stringify(pkg) })));
      assert.deepEqual(s.frameworks, ['vscode-extension']);
    });
  });

  describe('python details', () => {
    it('PEP 621 + PEP 735 groups + uv.lock', async () => {
      const dir = project({
        'pyproject.toml':
          '[project]\nname="x"\ndependencies=["psycopg[binary]>=3"]\n[dependency-groups]\ndev=["pytest","pyright"]\n',
        'uv.lock': '',
      });
      const s = await detectTechStack(workspaceAt(dir));
      assert.equal(s.packageManager, 'uv');
      assert.equal(s.database, 'postgresql');
      assert.equal(s.testRunner, 'pytest');
      assert.deepEqual(s.linters, ['pyright']);
    });

    it('pdm and hatch are recognised from their tool tables', async () => {
      const pdm = project({ 'pyproject.toml': '[project]\nname="a"\n[tool.pdm]\n' });
      assert.equal((await detectTechStack(workspaceAt(pdm))).packageManager, 'pdm');
      const hatch = project({
        'pyproject.toml': '[project]\nname="a"\n[tool.hatch.envs.default]\ndependencies=["pytest"]\n',
      });
      const s = await detectTechStack(workspaceAt(hatch));
      assert.equal(s.packageManager, 'hatch');
      assert.equal(s.testRunner, 'pytest');
    });

    it('requirement lines: names normalised, options, URLs and comments skipped', () => {
      const text =
        'Flask_SQLAlchemy==3 # orm\n-e .\n--hash=sha256:x\nhttps://x/y.whl\n  requests[socks] ; python_version<"3.13"\n';
      assert.deepEqual(requirementNames(text), ['flask-sqlalchemy', 'requests']);
    });
  });

  describe('helpers', () => {
    it('container images map to databases whatever the registry, tag or digest', () => {
      assert.equal(databaseOfImage('postgres'), 'postgresql');
      assert.equal(databaseOfImage('bitnami/postgresql:16'), 'postgresql');
      assert.equal(databaseOfImage('ghcr.io/x/mariadb:11@sha256:abc'), 'mysql');
      assert.equal(databaseOfImage('mongo:7'), 'mongodb');
      assert.equal(databaseOfImage('valkey/valkey:8'), 'redis');
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a compose-file interpolation, literally
      assert.equal(databaseOfImage('${DB_IMAGE:-postgis/postgis:16-3.4}'), 'postgresql');
      assert.equal(databaseOfImage('nginx:1.27'), undefined);
    });

    it('URL schemes map to databases', () => {
      assert.deepEqual(databasesInText('A=postgresql+asyncpg://u@h/db\nB=rediss://h\nC=mongodb+srv://h\nD=https://x'), [
        'postgresql',
        'redis',
        'mongodb',
      ]);
    });

    it('go.mod: single and block requires, comments, the module path', () => {
      const g = parseGoMod(
        'module example.com/a/b // c\n\nrequire x.io/y v1\nrequire (\n\t"q.io/r" v2 // indirect\n)\n',
        'go.mod',
      );
      assert.equal(g.module, 'example.com/a/b');
      assert.deepEqual(g.requires, ['x.io/y', 'q.io/r']);
      assert.deepEqual(g.problems, []);
    });

    it('the primary database: strongest evidence first, caches last', () => {
      assert.deepEqual(
        orderDatabases([
          { name: 'redis', source: 'dependency' },
          { name: 'postgresql', source: 'compose' },
          { name: 'mysql', source: 'url' },
        ]),
        ['mysql', 'redis', 'postgresql'],
      );
      assert.deepEqual(orderDatabases([{ name: 'redis', source: 'compose' }]), ['redis']);
    });

    it('names and descriptions lose control and bidi characters and are capped', () => {
      assert.equal(cleanText('a\u202eb\nc\u200bd\u0007'), 'a b c d');
      assert.equal(cleanText('x'.repeat(500)).length, 200);
    });
  });

  describe('safety', () => {
    it('a manifest symlinked from outside the project is not read', async () => {
      const outside = project({ 'package.json': '{"dependencies":{"pg":"8"}}' });
      const dir = tempDir();
      symlinkSync(path.join(outside, 'package.json'), path.join(dir, 'package.json'));
      const d = await detectProject(workspaceAt(dir));
      assert.deepEqual(d.techStack.databases, []);
      assert.equal(d.problems[0]?.rule, 'path-escape');
    });

    it('a compose file that is an alias bomb is refused quickly', async () => {
      const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
      for (let i = 1; i < 12; i++) {
        const prev = String.fromCharCode(96 + i);
        const cur = String.fromCharCode(97 + i);
        lines.push(
          `${cur}: &${cur} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`,
        );
      }
      lines.push('services:\n  db:\n    image: postgres');
      const dir = project({ 'docker-compose.yml': lines.join('\n') });
      const d = await detectProject(workspaceAt(dir));
      assert.equal(d.problems[0]?.rule, 'yaml-alias');
      assert.deepEqual(d.techStack.databases, []);
    });

    it('invalid UTF-8 in a manifest is a positioned problem, not a crash', async () => {
      const dir = tempDir();
      writeFileSync(path.join(dir, 'package.json'), Buffer.from([0x7b, 0x0a, 0x22, 0xff, 0x22, 0x7d]));
      const d = await detectProject(workspaceAt(dir));
      assert.deepEqual(pick(d.problems[0]), { line: 2, column: 2, rule: 'invalid-utf8' });
    });
  });

  describe('loadProjectFacts', () => {
    it('wraps the tech stack; the problems variant keeps the problems', async () => {
      const ws = workspaceAt(copyFixture('go-gin'));
      assert.deepEqual(await loadProjectFacts(ws), { techStack: await detectTechStack(ws) });
      const broken = workspaceAt(copyFixture('malformed'));
      const { facts, problems } = await loadProjectFactsWithProblems(broken);
      assert.equal(facts.techStack.database, 'postgresql');
      assert.equal(problems.length, 5);
    });
  });
});

function pick(p: { line: number; column: number; rule: string } | undefined) {
  return p && { line: p.line, column: p.column, rule: p.rule };
}
