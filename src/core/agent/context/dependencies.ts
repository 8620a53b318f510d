/**
 * The project's declared dependencies, per ecosystem, for the context snapshot: package.json (dependencies and
 * devDependencies with their ranges), requirements*.txt and pyproject.toml (PEP 621 and Poetry), go.mod
 * `require`s and Cargo.toml `[dependencies]`. Read through the FileSystem port, inside the project only;
 * manifests that do not parse are skipped (detection reports their problems). At most `max` per ecosystem.
 */

import { parseGoMod } from '../../project/detect/go';
import { isPlainObject, parseJsonFile } from '../../project/detect/parse-json';
import { parseTomlFile } from '../../project/detect/parse-toml';
import { readProjectFile } from '../../project/detect/project-file';
import type { Workspace } from '../../workspace';

export interface DependencyList {
  /** `npm`, `python`, `go`, `cargo`. */
  ecosystem: string;
  /** The manifest they come from. */
  file: string;
  /** `name@range`, `name==1.2`, `module v1.2.3`… as declared. */
  entries: string[];
  /** More were declared than listed. */
  more: number;
}

function entriesOf(record: unknown, format: (name: string, version: string) => string): string[] {
  if (!isPlainObject(record)) return [];
  return Object.entries(record).map(([name, v]) =>
    format(name, typeof v === 'string' ? v : isPlainObject(v) && typeof v.version === 'string' ? v.version : '*'),
  );
}

function capped(ecosystem: string, file: string, all: string[], max: number): DependencyList {
  return { ecosystem, file, entries: all.slice(0, max), more: Math.max(0, all.length - max) };
}

export async function readDependencies(workspace: Workspace, max = 40): Promise<DependencyList[]> {
  const lists: DependencyList[] = [];
  const pkg = await readProjectFile(workspace, 'package.json');
  if (pkg.file) {
    const parsed = parseJsonFile(pkg.file.text, 'package.json');
    if (isPlainObject(parsed.value)) {
      const all = [
        ...entriesOf(parsed.value.dependencies, (n, v) => `${n}@${v}`),
        ...entriesOf(parsed.value.devDependencies, (n, v) => `${n}@${v} (dev)`),
      ];
      if (all.length > 0) lists.push(capped('npm', 'package.json', all, max));
    }
  }
  const py = await readProjectFile(workspace, 'pyproject.toml');
  if (py.file) {
    const parsed = parseTomlFile(py.file.text, 'pyproject.toml');
    const project = parsed.value.project;
    const poetry = isPlainObject(parsed.value.tool) ? parsed.value.tool.poetry : undefined;
    const all: string[] = [];
    if (isPlainObject(project) && Array.isArray(project.dependencies)) {
      for (const d of project.dependencies) if (typeof d === 'string') all.push(d);
    }
    if (isPlainObject(poetry)) {
      all.push(...entriesOf(poetry.dependencies, (n, v) => `${n} ${v}`).filter((d) => !d.startsWith('python ')));
    }
    if (all.length > 0) lists.push(capped('python', 'pyproject.toml', all, max));
  }
  for (const name of ['requirements.txt', 'requirements-dev.txt']) {
    const req = await readProjectFile(workspace, name);
    if (!req.file) continue;
    const all = req.file.text
      .split(/\r?\n/)
      .map((l) => l.replace(/\s+#.*$/, '').trim())
      .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('-'));
    if (all.length > 0) lists.push(capped('python', name, all, max));
  }
  const gomod = await readProjectFile(workspace, 'go.mod');
  if (gomod.file) {
    const parsed = parseGoMod(gomod.file.text, 'go.mod');
    if (parsed.requires.length > 0) lists.push(capped('go', 'go.mod', parsed.requires, max));
  }
  const cargo = await readProjectFile(workspace, 'Cargo.toml');
  if (cargo.file) {
    const parsed = parseTomlFile(cargo.file.text, 'Cargo.toml');
    const all = [
      ...entriesOf(parsed.value.dependencies, (n, v) => `${n} ${v}`),
      ...entriesOf(parsed.value['dev-dependencies'], (n, v) => `${n} ${v} (dev)`),
    ];
    if (all.length > 0) lists.push(capped('cargo', 'Cargo.toml', all, max));
  }
  return lists;
}
