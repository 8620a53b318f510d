/** Databases from the services of docker-compose*.yml / compose*.yml (their images). */
import type { Problem } from '../../problems';
import type { Workspace } from '../../workspace';
import { IMAGE_DATABASES } from './catalog';
import { parseYamlWithoutAliases } from './compose-yaml';
import type { DatabaseFinding } from './findings';
import { isPlainObject } from './parse-json';
import { readProjectFile } from './project-file';

export const COMPOSE_FILE = /^(docker-)?compose(\.[\w.-]+)?\.ya?ml$/;

export async function detectComposeDatabases(
  workspace: Workspace,
  rootNames: readonly string[],
): Promise<{ databases: DatabaseFinding[]; problems: Problem[] }> {
  const databases: DatabaseFinding[] = [];
  const problems: Problem[] = [];
  // docker-compose.yml before docker-compose.override.yml: the base file names the main services.
  const files = rootNames.filter((n) => COMPOSE_FILE.test(n)).sort((a, b) => a.length - b.length || a.localeCompare(b));
  for (const file of files) {
    const read = await readProjectFile(workspace, file);
    problems.push(...read.problems);
    if (!read.file) continue;
    const parsed = parseYamlWithoutAliases(read.file.text, file);
    problems.push(...parsed.problems);
    if (!isPlainObject(parsed.value) || !isPlainObject(parsed.value.services)) continue;
    for (const service of Object.values(parsed.value.services)) {
      if (!isPlainObject(service) || typeof service.image !== 'string') continue;
      const db = databaseOfImage(service.image);
      if (db) databases.push({ name: db, source: 'compose' });
    }
  }
  return { databases, problems };
}

/** `docker.io/bitnami/postgresql:16@sha256:…` → `postgresql`; `${DB_IMAGE:-postgres:16}` → `postgresql`. */
export function databaseOfImage(image: string): string | undefined {
  const interpolated = /^\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^}]+)\}$/.exec(image.trim());
  const ref = (interpolated?.[1] ?? image).trim().toLowerCase().split('@')[0] ?? '';
  const last = ref.split('/').pop() ?? '';
  const repo = last.split(':')[0] ?? '';
  return IMAGE_DATABASES.get(repo);
}
