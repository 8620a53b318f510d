/**
 * Databases named by connection URLs in the files a project commits as examples (`.env.example`,
 * `alembic.ini`…) — how an SQLAlchemy or Django project says "postgres". Real `.env` files are not read:
 * they hold secrets.
 */
import type { Problem } from '../../problems';
import type { Workspace } from '../../workspace';
import { URL_SCHEME_DATABASES } from './catalog';
import type { DatabaseFinding } from './findings';
import { readProjectFile } from './project-file';

const EXAMPLE_FILES = /^(\.env\.(example|sample|template|dist|defaults)|env\.example|alembic\.ini)$/;
const URL = /\b([a-z][a-z0-9]*(?:\+[a-z0-9]+)?):\/\//g;

export async function detectUrlDatabases(
  workspace: Workspace,
  rootNames: readonly string[],
): Promise<{ databases: DatabaseFinding[]; problems: Problem[] }> {
  const databases: DatabaseFinding[] = [];
  const problems: Problem[] = [];
  for (const file of rootNames.filter((n) => EXAMPLE_FILES.test(n))) {
    const read = await readProjectFile(workspace, file);
    problems.push(...read.problems);
    if (!read.file) continue;
    for (const name of databasesInText(read.file.text)) databases.push({ name, source: 'url' });
  }
  return { databases, problems };
}

/** `postgresql+asyncpg://…` → `postgresql`; `mongodb+srv://…` → `mongodb`. */
export function databasesInText(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(URL)) {
    const scheme = m[1] ?? '';
    const db = URL_SCHEME_DATABASES.get(scheme) ?? URL_SCHEME_DATABASES.get(scheme.split('+')[0] ?? '');
    if (db && !found.includes(db)) found.push(db);
  }
  return found;
}
