/**
 * `init` as a plan: every file it would create, update, keep or leave unchanged, decided before anything is
 * written. Any error (a settings file that is not JSON, a path that leaves the project through a symlink, a
 * file where a folder must be) fails the whole plan, so nothing is half-written.
 *
 * Per file: absent → created; identical → unchanged; different → kept, unless `--force`, or the manifest
 * shows the file still holds exactly what init last wrote (then the newer template is safe to write).
 */
import * as path from 'node:path';
import { InputError, type Problem, problem } from '../problems';
import { type DetectedProject, detectProject } from '../project/tech-stack';
import { type ValidationCommands, validationCommands } from '../project/validation-commands';
import { decodeUtf8 } from '../text';
import { PathEscapeError, type Workspace } from '../workspace';
import { ensureIgnored } from './gitignore';
import { canonicalJson, sha256 } from './hash';
import {
  COMPLETED_KEEP_FILE,
  GITIGNORE_FILE,
  listTemplateEntries,
  MANIFEST_FILE,
  STATE_DIR_PATTERN,
  type TemplateEntry,
} from './layout';
import { readManifest, serializeManifest } from './manifest';
import { renderTemplate } from './render';
import { buildRenderContext, type ToolInfo } from './render-context';
import { inspectSettings, ORCHESTRATION_KEY, setOrchestration } from './settings-merge';

export type InitAction = 'created' | 'updated' | 'kept' | 'unchanged';

export interface PlannedFile {
  /** Project-relative, `/`-separated. */
  path: string;
  action: InitAction;
  /** Why, in a few words, when the action needs explaining (kept, updated). */
  reason?: string;
  /** What gets written (created and updated only). */
  content?: string | Uint8Array;
  /** The absolute path written: the file itself, or the file a symlink inside the project points to. */
  writeTo: string;
}

export interface InitOptions {
  /** Absolute path of the shipped `templates/` folder. */
  templatesRoot: string;
  /** Overwrite files that differ from the templates (the user's changes are lost). */
  force?: boolean;
  tool: ToolInfo;
}

export interface InitPlan {
  /** Sorted by path; the manifest is among them. */
  files: PlannedFile[];
  detected: DetectedProject;
  commands: ValidationCommands;
  /** Problems that did not stop init: unreadable manifests, an unusable init manifest. */
  warnings: Problem[];
}

interface Existing {
  writeTo: string;
  bytes: Uint8Array | undefined;
}

export async function planInit(workspace: Workspace, options: InitOptions): Promise<InitPlan> {
  const detected = await detectProject(workspace);
  const commands = validationCommands(detected.techStack, detected);
  const context = buildRenderContext(detected, commands, options.tool);
  const { manifest, problems: manifestProblems } = await readManifest(workspace);
  const errors: Problem[] = [];
  const files: PlannedFile[] = [];
  const recorded = new Map<string, string>();
  const force = options.force === true;

  const decide = (d: Decision): void => {
    const outcome = decideFile(d, manifest.files.get(d.key), force);
    files.push(outcome.file);
    if (outcome.record) recorded.set(d.key, outcome.record);
  };

  for (const entry of await listTemplateEntries(workspace.fs, options.templatesRoot)) {
    const rendered = await renderEntry(workspace, options.templatesRoot, entry, context);
    const existing = await inspectTarget(workspace, entry.target, errors);
    if (!existing) continue;
    if (entry.kind === 'settings') {
      const d = planSettings(entry.target, rendered, existing, errors);
      if (d) decide(d);
    } else {
      decide({
        path: entry.target,
        key: entry.target,
        writeTo: existing.writeTo,
        currentHash: existing.bytes && sha256(existing.bytes),
        targetHash: sha256(rendered),
        createContent: rendered,
        updateContent: rendered,
      });
    }
  }

  const keep = await inspectTarget(workspace, COMPLETED_KEEP_FILE, errors);
  if (keep) {
    const siblings = await workspace.fs.readDir(path.dirname(keep.writeTo)).catch(() => []);
    if (keep.bytes !== undefined || siblings.length > 0) {
      files.push({ path: COMPLETED_KEEP_FILE, action: 'unchanged', writeTo: keep.writeTo });
    } else files.push({ path: COMPLETED_KEEP_FILE, action: 'created', content: '', writeTo: keep.writeTo });
  }

  const ignore = await inspectTarget(workspace, GITIGNORE_FILE, errors);
  if (ignore) {
    const next = ensureIgnored(ignore.bytes, STATE_DIR_PATTERN);
    if (next === undefined) files.push({ path: GITIGNORE_FILE, action: 'unchanged', writeTo: ignore.writeTo });
    else {
      files.push({
        path: GITIGNORE_FILE,
        action: ignore.bytes === undefined ? 'created' : 'updated',
        reason: ignore.bytes === undefined ? undefined : 'added .context-forge/',
        content: next,
        writeTo: ignore.writeTo,
      });
    }
  }

  const manifestTarget = await inspectTarget(workspace, MANIFEST_FILE, errors);
  if (errors.length > 0) throw new InputError(errors);
  const manifestText = serializeManifest(recorded, `${options.tool.name} ${options.tool.version}`);
  const current = manifestTarget!.bytes;
  files.push({
    path: MANIFEST_FILE,
    writeTo: manifestTarget!.writeTo,
    ...(current === undefined
      ? { action: 'created', content: manifestText }
      : sha256(current) === sha256(manifestText)
        ? { action: 'unchanged' }
        : { action: 'updated', reason: 'file hashes recorded', content: manifestText }),
  });

  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // A malformed manifest does not stop init: detection used what it could read.
  const detection = detected.problems.map((p) => ({
    ...p,
    severity: 'warning' as const,
    message: `${p.message} (detection used what it could read)`,
  }));
  return { files, detected, commands, warnings: [...detection, ...manifestProblems] };
}

/** One file's situation: what it holds now (by hash) against what init would write. */
interface Decision {
  path: string;
  /** Manifest key: the path, or `path#key` for a merged JSON key. */
  key: string;
  writeTo: string;
  /** Hash of what is there now (`undefined`: nothing is). */
  currentHash: string | undefined;
  /** Hash of what init would put there. */
  targetHash: string;
  /** Written when there is nothing yet. */
  createContent: string | Uint8Array;
  /** Written when replacing what is there. */
  updateContent: string | Uint8Array;
  /** Forces an update with this reason (a merge that adds without replacing anything). */
  merge?: string;
}

function decideFile(
  d: Decision,
  previous: string | undefined,
  force: boolean,
): { file: PlannedFile; record: string | undefined } {
  const base = { path: d.path, writeTo: d.writeTo };
  if (d.merge)
    return { file: { ...base, action: 'updated', reason: d.merge, content: d.updateContent }, record: d.targetHash };
  if (d.currentHash === undefined) {
    return { file: { ...base, action: 'created', content: d.createContent }, record: d.targetHash };
  }
  if (d.currentHash === d.targetHash) return { file: { ...base, action: 'unchanged' }, record: d.targetHash };
  if (force || previous === d.currentHash) {
    const reason = force ? 'replaced (--force)' : 'newer template; you had not changed it';
    return { file: { ...base, action: 'updated', reason, content: d.updateContent }, record: d.targetHash };
  }
  const reason = previous
    ? 'changed since init wrote it; --force replaces it'
    : 'not written by init; --force replaces it';
  return { file: { ...base, action: 'kept', reason }, record: previous };
}

/**
 * settings.local.json is merged, never replaced: a missing file gets the template; an existing one gains the
 * `orchestration` key when it has none. An existing block is compared by value (the manifest records the
 * block's hash), so it is replaced only with `--force` or when it is exactly what init wrote before; the
 * rest of the file is never touched.
 */
function planSettings(rel: string, rendered: string, existing: Existing, errors: Problem[]): Decision | undefined {
  const block = (JSON.parse(rendered) as Record<string, unknown>)[ORCHESTRATION_KEY];
  const common = {
    path: rel,
    key: `${rel}#${ORCHESTRATION_KEY}`,
    writeTo: existing.writeTo,
    targetHash: sha256(canonicalJson(block)),
    createContent: rendered,
  };
  if (existing.bytes === undefined) return { ...common, currentHash: undefined, updateContent: rendered };
  const decoded = decodeUtf8(existing.bytes, rel);
  if (decoded.problems.length > 0) {
    errors.push(...decoded.problems);
    return undefined;
  }
  const found = inspectSettings(decoded.text, rel);
  switch (found.kind) {
    case 'invalid':
      errors.push(...found.problems);
      return undefined;
    case 'empty':
      return { ...common, currentHash: undefined, updateContent: rendered, merge: 'was empty' };
    case 'absent':
      return {
        ...common,
        currentHash: undefined,
        updateContent: setOrchestration(decoded.text, block),
        merge: 'added the orchestration block; other settings untouched',
      };
    case 'present':
      return {
        ...common,
        currentHash: sha256(canonicalJson(found.value)),
        updateContent: setOrchestration(decoded.text, block),
      };
  }
}

async function renderEntry(
  workspace: Workspace,
  templatesRoot: string,
  entry: TemplateEntry,
  context: Parameters<typeof renderTemplate>[1],
): Promise<string> {
  const file = path.join(templatesRoot, ...entry.template.split('/'));
  const decoded = decodeUtf8(await workspace.fs.readFile(file), `templates/${entry.template}`);
  if (decoded.problems.length > 0) throw new InputError(decoded.problems);
  return renderTemplate(decoded.text, context, `templates/${entry.template}`);
}

/**
 * Where `rel` would be written and what it holds now. Refuses (into `errors`) a path that leaves the project
 * through a symlink, a file or a broken link where a folder must be, and a folder where a file must be.
 */
async function inspectTarget(workspace: Workspace, rel: string, errors: Problem[]): Promise<Existing | undefined> {
  const fs = workspace.fs;
  const refuse = (at: string, message: string): undefined => {
    errors.push(problem(at, 1, 1, 'init-target', message));
    return undefined;
  };
  try {
    await workspace.resolveInside(rel);
  } catch (err) {
    if (err instanceof PathEscapeError) {
      return refuse(rel, `${err.message}; init writes only inside the project — remove or repoint the link`);
    }
    throw err;
  }
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) {
    const prefix = parts.slice(0, i).join('/');
    const stat = await fs.stat(workspace.abs(prefix));
    if (stat === undefined) break;
    const type = stat.type === 'symlink' ? await linkTargetType(workspace, prefix) : stat.type;
    if (type !== 'directory') return refuse(prefix, `is ${describe(type)}; init needs a folder here`);
  }
  const abs = workspace.abs(rel);
  const stat = await fs.stat(abs);
  if (stat === undefined) return { writeTo: abs, bytes: undefined };
  let writeTo = abs;
  let type = stat.type;
  if (type === 'symlink') {
    try {
      writeTo = await fs.realPath(abs);
    } catch {
      return refuse(rel, 'is a broken symbolic link; remove it or point it at a file');
    }
    type = (await fs.stat(writeTo))?.type ?? 'other';
  }
  if (type !== 'file') return refuse(rel, `is ${describe(type)}; init needs a file here`);
  return { writeTo, bytes: await fs.readFile(writeTo) };
}

async function linkTargetType(workspace: Workspace, rel: string): Promise<string> {
  try {
    const real = await workspace.fs.realPath(workspace.abs(rel));
    return (await workspace.fs.stat(real))?.type ?? 'missing';
  } catch {
    return 'broken-link';
  }
}

function describe(type: string): string {
  switch (type) {
    case 'file':
      return 'a file';
    case 'directory':
      return 'a folder';
    case 'broken-link':
      return 'a broken symbolic link';
    default:
      return 'not a regular file or folder';
  }
}
