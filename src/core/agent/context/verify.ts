/**
 * `/context-verify`, the deterministic part: do the paths and commands that CLAUDE.md, `PRPs/ai_docs/**` and the
 * active PRPs' `file:`/`docfile:` references mention still exist? No model, nothing executed — files are looked
 * up (inside the project only), a command's program is resolved (a project file, an npm/pnpm/yarn/bun script, or
 * an executable on PATH), and every finding is a `Problem` with the file, line and column that mentions it.
 *
 * Missing files and scripts are errors (the context is stale); a program not found on PATH is a warning (this
 * machine may simply not have it installed).
 */
import * as path from 'node:path';
import { type Problem, problem } from '../../problems';
import { isPlainObject, parseJsonFile } from '../../project/detect/parse-json';
import { parsePrp } from '../../prp/read-prp';
import { splitArguments } from '../../shell/split';
import { decodeUtf8 } from '../../text';
import { PathEscapeError, type Workspace } from '../../workspace';
import { walkTree } from '../tools/walk';
import { extractReferences, type Reference } from './references';

export interface VerifyOptions {
  /** Directories of PATH, in order (the host passes `process.env.PATH` split). */
  pathDirs: readonly string[];
  /** Limit the check to these project-relative files (default: CLAUDE.md, PRPs/ai_docs/**, active PRPs). */
  files?: readonly string[];
}

export interface VerifyReport {
  /** Files checked (project-relative). */
  files: string[];
  /** References checked. */
  checked: number;
  problems: Problem[];
}

const PACKAGE_MANAGERS = new Set(['npm', 'pnpm', 'yarn', 'bun']);

/**
 * Names whose mention is not a claim that they exist: lockfiles and generated or tool-owned folders (CLAUDE.md
 * says "keep `package-lock.json` in sync" or "never edit `.vscode/`" whether or not they are there yet).
 */
const NOT_A_CLAIM = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'pnpm-lock.yaml',
  'yarn.lock',
  'bun.lock',
  'bun.lockb',
  'uv.lock',
  'poetry.lock',
  'Pipfile.lock',
  'Cargo.lock',
  'go.sum',
  '.git',
  '.vscode',
  '.idea',
  'node_modules',
  '.venv',
  'dist',
  'build',
  'out',
  'coverage',
  '.context-forge',
  '.env',
]);

function notAClaim(rel: string): boolean {
  const first = rel.replace(/^\.\//, '').split('/')[0]!;
  return NOT_A_CLAIM.has(first) || first.startsWith('.env.');
}
const BUILTINS = new Set(['cd', 'echo', 'export', 'test', '[', 'true', 'false', 'set', 'source', '.', 'exit']);

/** The context files `/context-verify` checks by default. */
export async function contextFiles(workspace: Workspace): Promise<string[]> {
  const out: string[] = [];
  const fs = workspace.fs;
  if ((await fs.stat(workspace.abs('CLAUDE.md')))?.type === 'file') out.push('CLAUDE.md');
  const prps = workspace.abs('PRPs');
  if ((await fs.stat(prps))?.type === 'directory') {
    const walk = await walkTree(fs, prps, { maxEntries: 5000 });
    for (const e of walk.entries) {
      if (e.type !== 'file' || !e.rel.endsWith('.md')) continue;
      const top = e.rel.split('/')[0];
      if (top === 'templates' || top === 'completed') continue;
      if (top === 'ai_docs' && e.rel.endsWith('README.md')) continue;
      out.push(`PRPs/${e.rel}`);
    }
  }
  return out;
}

export async function verifyContext(workspace: Workspace, options: VerifyOptions): Promise<VerifyReport> {
  const files = options.files ? [...options.files] : await contextFiles(workspace);
  const problems: Problem[] = [];
  let checked = 0;
  const scripts = await packageScripts(workspace);
  for (const file of files) {
    let abs: string;
    try {
      abs = await workspace.resolveInside(file);
    } catch (err) {
      problems.push(problem(file, 1, 1, 'context-path-escape', (err as Error).message));
      continue;
    }
    const st = await workspace.fs.stat(abs);
    if (!st) {
      problems.push(problem(file, 1, 1, 'context-missing-file', `${file} does not exist`));
      continue;
    }
    const decoded = decodeUtf8(await workspace.fs.readFile(abs), file);
    if (decoded.problems.length > 0) {
      problems.push(...decoded.problems);
      continue;
    }
    // In PRPs only the explicit references are context claims (read with the PRP reader, so inactive `## IF`
    // branches do not count); the rest of a PRP is the plan, which lint checks.
    const isPrp = file.startsWith('PRPs/') && !file.startsWith('PRPs/ai_docs/');
    const refs = isPrp ? prpReferences(decoded.text, file) : extractReferences(decoded.text);
    for (const ref of refs) {
      checked++;
      const found = await checkReference(workspace, file, ref, scripts, options.pathDirs);
      if (found) problems.push(found);
    }
  }
  return { files, checked, problems };
}

function prpReferences(text: string, file: string): Reference[] {
  const parsed = parsePrp(text, file);
  if (!parsed.value) return extractReferences(text).filter((r) => r.kind === 'file' || r.kind === 'docfile');
  return parsed.value.contextReferences
    .filter((r): r is typeof r & { kind: 'file' | 'docfile' } => r.kind === 'file' || r.kind === 'docfile')
    .map((r) => ({ kind: r.kind, value: r.target.replace(/^\.\//, ''), line: r.line, column: r.column }));
}

async function packageScripts(workspace: Workspace): Promise<Record<string, string> | undefined> {
  const abs = workspace.abs('package.json');
  if ((await workspace.fs.stat(abs))?.type !== 'file') return undefined;
  const decoded = decodeUtf8(await workspace.fs.readFile(abs), 'package.json');
  const parsed = parseJsonFile(decoded.text, 'package.json');
  if (!isPlainObject(parsed.value)) return undefined;
  const scripts = parsed.value.scripts;
  const out: Record<string, string> = Object.create(null);
  if (isPlainObject(scripts)) for (const [k, v] of Object.entries(scripts)) if (typeof v === 'string') out[k] = v;
  return out;
}

async function exists(workspace: Workspace, rel: string): Promise<'yes' | 'no' | { outside: string }> {
  try {
    const abs = await workspace.resolveInside(rel);
    return (await workspace.fs.stat(abs)) ? 'yes' : 'no';
  } catch (err) {
    if (err instanceof PathEscapeError) return { outside: err.message };
    throw err;
  }
}

async function checkReference(
  workspace: Workspace,
  file: string,
  ref: Reference,
  scripts: Record<string, string> | undefined,
  pathDirs: readonly string[],
): Promise<Problem | undefined> {
  const at = (rule: string, message: string, severity: Problem['severity'] = 'error') =>
    problem(file, ref.line, ref.column, rule, message, severity);
  switch (ref.kind) {
    case 'url':
      return undefined; // not checked: no network
    case 'file':
    case 'docfile':
    case 'path':
    case 'link': {
      if (/[[\]{}<>*?]/.test(ref.value)) return undefined; // a placeholder or a glob, not a claim
      if (ref.kind === 'path' && notAClaim(ref.value)) return undefined;
      const rel =
        ref.kind === 'link' ? path.posix.normalize(path.posix.join(path.posix.dirname(file), ref.value)) : ref.value;
      const found = await exists(workspace, rel.replace(/\/+$/, '') || '.');
      if (found === 'yes') return undefined;
      const label = ref.kind === 'path' ? 'path' : ref.kind === 'link' ? 'link target' : `${ref.kind}: reference`;
      if (found === 'no') return at('context-missing-path', `the ${label} ${rel} does not exist`);
      return at('context-path-escape', `the ${label} ${ref.value}: ${found.outside}`);
    }
    case 'command':
      return checkCommand(workspace, ref, scripts, pathDirs, at);
  }
}

async function checkCommand(
  workspace: Workspace,
  ref: Reference,
  scripts: Record<string, string> | undefined,
  pathDirs: readonly string[],
  at: (rule: string, message: string, severity?: Problem['severity']) => Problem,
): Promise<Problem | undefined> {
  // Each simple command of a `a && b | c` line (a textual split: enough to find each program).
  for (const segment of ref.value.split(/\s*(?:&&|\|\||;|\|)\s*/)) {
    const split = splitArguments(segment);
    const assignment = /^[A-Za-z_][A-Za-z0-9_]*=/;
    let start = 0;
    while (start < split.words.length && assignment.test(split.words[start]!)) start++;
    const words = split.words.slice(start);
    const program = words[0];
    if (!program || BUILTINS.has(program) || /[$`(]/.test(program)) continue;
    if (program.includes('/')) {
      const found = await exists(workspace, program);
      if (found !== 'yes') return at('context-unresolvable-command', `${program} (in \`${ref.value}\`) does not exist`);
      continue;
    }
    if (PACKAGE_MANAGERS.has(program) && scripts) {
      const script = scriptNamed(words.slice(1));
      if (script !== undefined && !Object.hasOwn(scripts, script)) {
        return at(
          'context-missing-script',
          `\`${ref.value}\` runs the package.json script "${script}", which does not exist`,
        );
      }
    }
    if (!(await onPath(workspace, program, pathDirs))) {
      return at(
        'context-unresolvable-command',
        `\`${program}\` (in \`${ref.value}\`) is not on PATH on this machine`,
        'warning',
      );
    }
  }
  return undefined;
}

/** The package.json script a package-manager command runs, if it names one. */
function scriptNamed(args: string[]): string | undefined {
  const [first, second] = args;
  if (first === 'run' || first === 'run-script') return second;
  if (first === 'test' || first === 't') return 'test';
  return undefined;
}

async function onPath(workspace: Workspace, program: string, pathDirs: readonly string[]): Promise<boolean> {
  for (const dir of pathDirs) {
    if (!dir) continue;
    const st = await workspace.fs.stat(path.join(dir, program)).catch(() => undefined);
    if (st && st.type !== 'directory') return true;
  }
  return false;
}
