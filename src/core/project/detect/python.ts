/**
 * Python detection: pyproject.toml (PEP 621, PEP 735 groups, Poetry, uv, PDM, Hatch), requirements*.txt,
 * lockfiles and tool configuration files.
 */
import type { Problem } from '../../problems';
import type { Workspace } from '../../workspace';
import { normalizePythonName, PYTHON_SIGNALS } from './catalog';
import { type DetectorResult, EcosystemFindings } from './findings';
import { isPlainObject, keysOf } from './parse-json';
import { parseTomlFile, type Toml, tomlSkeleton } from './parse-toml';
import { readProjectFile } from './project-file';

const MARKERS = ['pyproject.toml', 'setup.py', 'setup.cfg', 'Pipfile', 'manage.py'];
const REQUIREMENTS = /^requirements([-_.\w]*)\.txt$/;

/** Lockfiles first (what the team actually runs), then the tool tables in pyproject.toml. */
const LOCKFILES: Array<[string, string]> = [
  ['uv.lock', 'uv'],
  ['poetry.lock', 'poetry'],
  ['pdm.lock', 'pdm'],
  ['Pipfile.lock', 'pipenv'],
  ['Pipfile', 'pipenv'],
];

const CONFIG_FILES: Array<[string, 'linter' | 'testRunner', string]> = [
  ['ruff.toml', 'linter', 'ruff'],
  ['.ruff.toml', 'linter', 'ruff'],
  ['mypy.ini', 'linter', 'mypy'],
  ['.mypy.ini', 'linter', 'mypy'],
  ['.flake8', 'linter', 'flake8'],
  ['.pylintrc', 'linter', 'pylint'],
  ['pylintrc', 'linter', 'pylint'],
  ['pyrightconfig.json', 'linter', 'pyright'],
  ['pytest.ini', 'testRunner', 'pytest'],
  ['conftest.py', 'testRunner', 'pytest'],
];

export async function detectPython(workspace: Workspace, rootNames: readonly string[]): Promise<DetectorResult> {
  const requirementFiles = rootNames.filter((n) => REQUIREMENTS.test(n));
  if (!MARKERS.some((m) => rootNames.includes(m)) && requirementFiles.length === 0) {
    return { findings: undefined, problems: [] };
  }
  const problems: Problem[] = [];
  const f = new EcosystemFindings('python');
  f.languages.add('python');
  const deps = new Set<string>();

  let pyproject: Toml = {};
  if (rootNames.includes('pyproject.toml')) {
    const read = await readProjectFile(workspace, 'pyproject.toml');
    problems.push(...read.problems);
    if (read.file) {
      const parsed = parseTomlFile(read.file.text, 'pyproject.toml');
      problems.push(...parsed.problems);
      pyproject = parsed.problems.length > 0 ? tomlSkeleton(read.file.text) : parsed.value;
    }
  }
  for (const name of pyprojectDependencies(pyproject)) deps.add(name);

  for (const file of requirementFiles) {
    const read = await readProjectFile(workspace, file);
    problems.push(...read.problems);
    if (read.file) for (const name of requirementNames(read.file.text)) deps.add(name);
  }

  f.dependencyCount = deps.size;
  for (const name of deps) {
    const signals = PYTHON_SIGNALS.get(name);
    if (signals) f.apply(signals);
  }

  const tool = isPlainObject(pyproject.tool) ? pyproject.tool : {};
  if ('ruff' in tool) f.linters.add('ruff');
  if ('mypy' in tool) f.linters.add('mypy');
  if ('black' in tool) f.linters.add('black');
  if ('pylint' in tool) f.linters.add('pylint');
  if ('pyright' in tool) f.linters.add('pyright');
  if ('isort' in tool) f.linters.add('isort');
  if (isPlainObject(tool.pytest) || 'pytest' in tool) f.testRunners.add('pytest');
  for (const [file, role, value] of CONFIG_FILES) {
    if (!rootNames.includes(file)) continue;
    if (role === 'linter') f.linters.add(value);
    else f.testRunners.add(value);
  }
  for (const ini of ['setup.cfg', 'tox.ini']) {
    if (!rootNames.includes(ini)) continue;
    const read = await readProjectFile(workspace, ini);
    problems.push(...read.problems);
    if (!read.file) continue;
    if (/^\[(tool:pytest|pytest)\]/m.test(read.file.text)) f.testRunners.add('pytest');
    if (/^\[mypy\]/m.test(read.file.text)) f.linters.add('mypy');
    if (/^\[flake8\]/m.test(read.file.text)) f.linters.add('flake8');
  }
  if (rootNames.includes('manage.py')) f.frameworks.add('django');

  f.packageManager = packageManagerOf(tool, pyproject, rootNames);
  const project = isPlainObject(pyproject.project) ? pyproject.project : {};
  const poetry = isPlainObject(tool.poetry) ? tool.poetry : {};
  const name = project.name ?? poetry.name;
  const description = project.description ?? poetry.description;
  if (typeof name === 'string') f.name = name;
  if (typeof description === 'string') f.description = description;
  return { findings: f, problems };
}

function packageManagerOf(tool: Toml, pyproject: Toml, rootNames: readonly string[]): string {
  for (const [file, pm] of LOCKFILES) if (rootNames.includes(file)) return pm;
  if ('poetry' in tool) return 'poetry';
  if ('uv' in tool) return 'uv';
  if ('pdm' in tool) return 'pdm';
  if ('hatch' in tool) return 'hatch';
  const build = isPlainObject(pyproject['build-system']) ? pyproject['build-system'] : {};
  const backend = typeof build['build-backend'] === 'string' ? build['build-backend'] : '';
  if (backend.startsWith('poetry')) return 'poetry';
  if (backend.startsWith('pdm')) return 'pdm';
  if (backend.startsWith('hatchling')) return 'hatch';
  return 'pip';
}

/** Every dependency name a pyproject.toml declares, normalised. */
export function pyprojectDependencies(pyproject: Toml): string[] {
  const names: string[] = [];
  const fromSpecs = (list: unknown): void => {
    if (!Array.isArray(list)) return;
    for (const spec of list) if (typeof spec === 'string') names.push(...requirementNames(spec));
  };
  const fromTables = (table: unknown): void => {
    for (const key of keysOf(table)) if (key.toLowerCase() !== 'python') names.push(normalizePythonName(key));
  };
  const project = isPlainObject(pyproject.project) ? pyproject.project : {};
  fromSpecs(project.dependencies);
  if (isPlainObject(project['optional-dependencies'])) {
    for (const list of Object.values(project['optional-dependencies'])) fromSpecs(list);
  }
  if (isPlainObject(pyproject['dependency-groups'])) {
    for (const list of Object.values(pyproject['dependency-groups'])) fromSpecs(list);
  }
  const tool = isPlainObject(pyproject.tool) ? pyproject.tool : {};
  const poetry = isPlainObject(tool.poetry) ? tool.poetry : {};
  fromTables(poetry.dependencies);
  fromTables(poetry['dev-dependencies']);
  if (isPlainObject(poetry.group)) {
    for (const group of Object.values(poetry.group)) if (isPlainObject(group)) fromTables(group.dependencies);
  }
  const uv = isPlainObject(tool.uv) ? tool.uv : {};
  fromSpecs(uv['dev-dependencies']);
  const pdm = isPlainObject(tool.pdm) ? tool.pdm : {};
  if (isPlainObject(pdm['dev-dependencies']))
    for (const list of Object.values(pdm['dev-dependencies'])) fromSpecs(list);
  const hatch = isPlainObject(tool.hatch) ? tool.hatch : {};
  if (isPlainObject(hatch.envs)) {
    for (const env of Object.values(hatch.envs)) {
      if (isPlainObject(env)) {
        fromSpecs(env.dependencies);
        fromSpecs(env['extra-dependencies']);
      }
    }
  }
  return names;
}

/** Distribution names in requirements.txt lines (or one PEP 508 string): options, URLs and comments skipped. */
export function requirementNames(text: string): string[] {
  const names: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line || line.startsWith('-') || /^[a-z+]+:\/\//i.test(line)) continue;
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(line);
    if (m?.[1]) names.push(normalizePythonName(m[1]));
  }
  return names;
}
