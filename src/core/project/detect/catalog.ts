/**
 * What dependency names, container images and connection URLs say about a project's stack.
 * Plain lookup tables (Maps, so a dependency called `__proto__` or `constructor` is just a miss).
 */

export type Role = 'framework' | 'database' | 'testRunner' | 'linter';

export interface Signal {
  role: Role;
  value: string;
}

function table(entries: Array<[string, Role, string]>): Map<string, Signal[]> {
  const map = new Map<string, Signal[]>();
  for (const [name, role, value] of entries) {
    const list = map.get(name) ?? [];
    list.push({ role, value });
    map.set(name, list);
  }
  return map;
}

/** npm package names. */
export const NPM_SIGNALS = table([
  // frameworks
  ['next', 'framework', 'next'],
  ['react', 'framework', 'react'],
  ['vue', 'framework', 'vue'],
  ['nuxt', 'framework', 'nuxt'],
  ['svelte', 'framework', 'svelte'],
  ['@sveltejs/kit', 'framework', 'sveltekit'],
  ['@angular/core', 'framework', 'angular'],
  ['solid-js', 'framework', 'solid'],
  ['astro', 'framework', 'astro'],
  ['@remix-run/node', 'framework', 'remix'],
  ['@remix-run/react', 'framework', 'remix'],
  ['express', 'framework', 'express'],
  ['fastify', 'framework', 'fastify'],
  ['koa', 'framework', 'koa'],
  ['hono', 'framework', 'hono'],
  ['@nestjs/core', 'framework', 'nestjs'],
  ['electron', 'framework', 'electron'],
  ['react-native', 'framework', 'react-native'],
  ['@trpc/server', 'framework', 'trpc'],
  ['graphql', 'framework', 'graphql'],
  // databases (drivers and clients; ORMs only say which database through their driver)
  ['pg', 'database', 'postgresql'],
  ['postgres', 'database', 'postgresql'],
  ['pg-promise', 'database', 'postgresql'],
  ['@neondatabase/serverless', 'database', 'postgresql'],
  ['@vercel/postgres', 'database', 'postgresql'],
  ['@supabase/supabase-js', 'database', 'postgresql'],
  ['mysql', 'database', 'mysql'],
  ['mysql2', 'database', 'mysql'],
  ['mariadb', 'database', 'mysql'],
  ['@planetscale/database', 'database', 'mysql'],
  ['mongodb', 'database', 'mongodb'],
  ['mongoose', 'database', 'mongodb'],
  ['better-sqlite3', 'database', 'sqlite'],
  ['sqlite3', 'database', 'sqlite'],
  ['sqlite', 'database', 'sqlite'],
  ['@libsql/client', 'database', 'sqlite'],
  ['redis', 'database', 'redis'],
  ['ioredis', 'database', 'redis'],
  ['@redis/client', 'database', 'redis'],
  ['@upstash/redis', 'database', 'redis'],
  ['@elastic/elasticsearch', 'database', 'elasticsearch'],
  ['cassandra-driver', 'database', 'cassandra'],
  ['neo4j-driver', 'database', 'neo4j'],
  // test runners (in order of preference when several are present)
  ['vitest', 'testRunner', 'vitest'],
  ['jest', 'testRunner', 'jest'],
  ['mocha', 'testRunner', 'mocha'],
  ['ava', 'testRunner', 'ava'],
  ['jasmine', 'testRunner', 'jasmine'],
  ['@playwright/test', 'testRunner', 'playwright'],
  ['cypress', 'testRunner', 'cypress'],
  // linters, formatters, type checkers
  ['eslint', 'linter', 'eslint'],
  ['@biomejs/biome', 'linter', 'biome'],
  ['oxlint', 'linter', 'oxlint'],
  ['prettier', 'linter', 'prettier'],
  ['standard', 'linter', 'standard'],
  ['xo', 'linter', 'xo'],
  ['stylelint', 'linter', 'stylelint'],
  ['typescript', 'linter', 'tsc'],
]);

/** Python distribution names, normalised per PEP 503 (lowercase, runs of `-_.` → `-`). */
export const PYTHON_SIGNALS = table([
  ['fastapi', 'framework', 'fastapi'],
  ['django', 'framework', 'django'],
  ['flask', 'framework', 'flask'],
  ['starlette', 'framework', 'starlette'],
  ['litestar', 'framework', 'litestar'],
  ['aiohttp', 'framework', 'aiohttp'],
  ['tornado', 'framework', 'tornado'],
  ['sanic', 'framework', 'sanic'],
  ['streamlit', 'framework', 'streamlit'],
  ['celery', 'framework', 'celery'],
  ['psycopg', 'database', 'postgresql'],
  ['psycopg2', 'database', 'postgresql'],
  ['psycopg2-binary', 'database', 'postgresql'],
  ['psycopg-binary', 'database', 'postgresql'],
  ['asyncpg', 'database', 'postgresql'],
  ['pg8000', 'database', 'postgresql'],
  ['pymysql', 'database', 'mysql'],
  ['mysqlclient', 'database', 'mysql'],
  ['aiomysql', 'database', 'mysql'],
  ['asyncmy', 'database', 'mysql'],
  ['mysql-connector-python', 'database', 'mysql'],
  ['pymongo', 'database', 'mongodb'],
  ['motor', 'database', 'mongodb'],
  ['mongoengine', 'database', 'mongodb'],
  ['beanie', 'database', 'mongodb'],
  ['aiosqlite', 'database', 'sqlite'],
  ['redis', 'database', 'redis'],
  ['aioredis', 'database', 'redis'],
  ['elasticsearch', 'database', 'elasticsearch'],
  ['cassandra-driver', 'database', 'cassandra'],
  ['neo4j', 'database', 'neo4j'],
  ['pytest', 'testRunner', 'pytest'],
  ['ruff', 'linter', 'ruff'],
  ['mypy', 'linter', 'mypy'],
  ['black', 'linter', 'black'],
  ['flake8', 'linter', 'flake8'],
  ['pylint', 'linter', 'pylint'],
  ['pyright', 'linter', 'pyright'],
  ['isort', 'linter', 'isort'],
]);

/** Go module paths: matched on the path or a prefix ending at `/` (so `/v5` suffixes match). */
export const GO_SIGNALS = table([
  ['github.com/gin-gonic/gin', 'framework', 'gin'],
  ['github.com/labstack/echo', 'framework', 'echo'],
  ['github.com/gofiber/fiber', 'framework', 'fiber'],
  ['github.com/go-chi/chi', 'framework', 'chi'],
  ['github.com/gorilla/mux', 'framework', 'gorilla'],
  ['google.golang.org/grpc', 'framework', 'grpc'],
  ['github.com/lib/pq', 'database', 'postgresql'],
  ['github.com/jackc/pgx', 'database', 'postgresql'],
  ['gorm.io/driver/postgres', 'database', 'postgresql'],
  ['github.com/go-sql-driver/mysql', 'database', 'mysql'],
  ['gorm.io/driver/mysql', 'database', 'mysql'],
  ['go.mongodb.org/mongo-driver', 'database', 'mongodb'],
  ['github.com/mattn/go-sqlite3', 'database', 'sqlite'],
  ['modernc.org/sqlite', 'database', 'sqlite'],
  ['gorm.io/driver/sqlite', 'database', 'sqlite'],
  ['github.com/redis/go-redis', 'database', 'redis'],
  ['github.com/go-redis/redis', 'database', 'redis'],
  ['github.com/gomodule/redigo', 'database', 'redis'],
  ['github.com/stretchr/testify', 'testRunner', 'go test'],
]);

/** Crate names. sqlx/diesel/sea-orm say which database through their features (see rust.ts). */
export const CRATE_SIGNALS = table([
  ['axum', 'framework', 'axum'],
  ['actix-web', 'framework', 'actix'],
  ['rocket', 'framework', 'rocket'],
  ['warp', 'framework', 'warp'],
  ['poem', 'framework', 'poem'],
  ['tonic', 'framework', 'grpc'],
  ['tauri', 'framework', 'tauri'],
  ['leptos', 'framework', 'leptos'],
  ['yew', 'framework', 'yew'],
  ['bevy', 'framework', 'bevy'],
  ['tokio-postgres', 'database', 'postgresql'],
  ['postgres', 'database', 'postgresql'],
  ['mysql', 'database', 'mysql'],
  ['mysql_async', 'database', 'mysql'],
  ['mongodb', 'database', 'mongodb'],
  ['rusqlite', 'database', 'sqlite'],
  ['redis', 'database', 'redis'],
]);

/** Features of database-agnostic crates that name a database. */
export const CRATE_FEATURE_DATABASES = new Map<string, string>([
  ['postgres', 'postgresql'],
  ['sqlx-postgres', 'postgresql'],
  ['mysql', 'mysql'],
  ['sqlx-mysql', 'mysql'],
  ['sqlite', 'sqlite'],
  ['sqlx-sqlite', 'sqlite'],
]);

/** Container images (the last path segment of the repository, without tag or digest). */
export const IMAGE_DATABASES = new Map<string, string>([
  ['postgres', 'postgresql'],
  ['postgresql', 'postgresql'],
  ['postgis', 'postgresql'],
  ['timescaledb', 'postgresql'],
  ['timescaledb-ha', 'postgresql'],
  ['pgvector', 'postgresql'],
  ['supabase-postgres', 'postgresql'],
  ['mysql', 'mysql'],
  ['mysql-server', 'mysql'],
  ['mariadb', 'mysql'],
  ['percona-server', 'mysql'],
  ['mongo', 'mongodb'],
  ['mongodb', 'mongodb'],
  ['mongodb-community-server', 'mongodb'],
  ['redis', 'redis'],
  ['redis-stack', 'redis'],
  ['redis-stack-server', 'redis'],
  ['valkey', 'redis'],
  ['keydb', 'redis'],
  ['elasticsearch', 'elasticsearch'],
  ['opensearch', 'elasticsearch'],
  ['cassandra', 'cassandra'],
  ['scylla', 'cassandra'],
  ['neo4j', 'neo4j'],
  ['clickhouse-server', 'clickhouse'],
  ['cockroach', 'cockroachdb'],
  ['couchdb', 'couchdb'],
]);

/** URL schemes (before any `+driver` suffix) in example environment files and configs. */
export const URL_SCHEME_DATABASES = new Map<string, string>([
  ['postgres', 'postgresql'],
  ['postgresql', 'postgresql'],
  ['mysql', 'mysql'],
  ['mariadb', 'mysql'],
  ['mongodb', 'mongodb'],
  ['mongodb+srv', 'mongodb'],
  ['sqlite', 'sqlite'],
  ['redis', 'redis'],
  ['rediss', 'redis'],
  ['cockroachdb', 'cockroachdb'],
]);

/** Prisma `datasource { provider = "…" }` values. */
export const PRISMA_PROVIDERS = new Map<string, string>([
  ['postgresql', 'postgresql'],
  ['postgres', 'postgresql'],
  ['mysql', 'mysql'],
  ['sqlite', 'sqlite'],
  ['mongodb', 'mongodb'],
  ['sqlserver', 'sqlserver'],
  ['cockroachdb', 'cockroachdb'],
]);

/** Databases that are usually a cache or a side store: never the primary one when another is present. */
export const SECONDARY_DATABASES = new Set(['redis', 'elasticsearch']);

export function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Signals for a Go module path: exact match, or a catalog entry that is a `/`-prefix of it. */
export function goSignals(modulePath: string): Signal[] {
  const exact = GO_SIGNALS.get(modulePath);
  if (exact) return exact;
  for (const [prefix, signals] of GO_SIGNALS) if (modulePath.startsWith(`${prefix}/`)) return signals;
  return [];
}
