/**
 * From an agent request (`/command args`) to what the conversation starts with: the slash command's markdown
 * expanded with its arguments (one pass, literal), and the context documents — CLAUDE.md, the PRP the command
 * works on and the docfiles it references, the PRP template for `/prp-create` — each read through the
 * workspace (inside the project only, strict UTF-8, capped).
 */
import { expandArguments } from '../commands/expand-arguments';
import { readSlashCommands } from '../commands/read-slash-commands';
import type { SlashCommand } from '../commands/slash-command';
import type { ProjectFacts } from '../project/facts';
import { parsePrp } from '../prp/read-prp';
import { splitArguments } from '../shell/split';
import { decodeUtf8 } from '../text';
import type { Workspace } from '../workspace';
import { extractReferences } from './context/references';
import type { ContextDocument } from './prompt';

/** Longest text of one context document; longer ones are cut (and marked) rather than blowing the budget. */
export const MAX_CONTEXT_DOC_CHARS = 120_000;
/** At most this many docfiles are loaded from one PRP. */
export const MAX_DOCFILES = 8;

export const PRP_CREATE = 'prp-create';
export const PRP_EXECUTE = 'prp-execute';

export interface CommandTask {
  command: SlashCommand;
  /** The expanded markdown (the user's task). */
  text: string;
  positionals: string[];
  /** Warnings for the user (an unterminated quote in the arguments, a missing docfile…). */
  warnings: string[];
}

export class CommandCatalog {
  private cached: Map<string, SlashCommand> | undefined;

  constructor(private readonly workspace: Workspace) {}

  /** The command named `name`; the catalog is re-read once when it is not found (an earlier step may add it). */
  async find(name: string): Promise<SlashCommand | undefined> {
    if (!this.cached?.has(name)) {
      const read = await readSlashCommands(this.workspace);
      this.cached = new Map((read.value ?? []).map((c) => [c.name, c]));
    }
    return this.cached.get(name);
  }
}

export function expandTask(command: SlashCommand, argsText: string, args?: readonly string[]): CommandTask {
  const expansion = expandArguments(command.body, argsText, args);
  const warnings = expansion.warning ? [`/${command.name}: ${expansion.warning}`] : [];
  let text = expansion.text.trim();
  // A command that does not mention its arguments still gets them (Claude Code appends them the same way).
  if (!command.usesArguments && argsText.trim() !== '') text += `\n\nARGUMENTS: ${argsText}`;
  return { command, text, positionals: expansion.positionals, warnings };
}

/** Positional arguments of a request (`args`, else `argsText` split the shell way). */
export function positionalsOf(argsText: string, args?: readonly string[]): string[] {
  return args ? [...args] : splitArguments(argsText).words;
}

/** `user auth with OAuth` → `user-auth-with-oauth` (letters and digits, at most 60 characters). */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= 60) return slug;
  const cut = slug.slice(0, 60);
  return cut.includes('-') ? cut.slice(0, cut.lastIndexOf('-')) : cut;
}

/** Reads a project file for the context block, or `undefined` when it is missing, outside or unreadable. */
export async function readContextFile(
  workspace: Workspace,
  rel: string,
  kind: ContextDocument['kind'],
): Promise<ContextDocument | undefined> {
  let abs: string;
  try {
    abs = await workspace.resolveInside(rel);
  } catch {
    return undefined;
  }
  const st = await workspace.fs.stat(abs).catch(() => undefined);
  if (!st || (st.type !== 'file' && st.type !== 'symlink')) return undefined;
  const decoded = decodeUtf8(await workspace.fs.readFile(abs), rel);
  if (decoded.problems.length > 0) return undefined;
  const truncated = decoded.text.length > MAX_CONTEXT_DOC_CHARS;
  return {
    kind,
    path: rel,
    text: truncated ? `${decoded.text.slice(0, MAX_CONTEXT_DOC_CHARS)}\n[… cut: the file is longer]` : decoded.text,
    ...(truncated ? { truncated: true } : {}),
  };
}

/** The PRP a command works on: its first argument, when that is a markdown file under `PRPs/` (not a template). */
export function prpArgument(positionals: readonly string[]): string | undefined {
  const first = positionals[0]?.replace(/^\.\//, '');
  if (!first?.endsWith('.md')) return undefined;
  if (!first.startsWith('PRPs/') || first.startsWith('PRPs/templates/')) return undefined;
  return first;
}

export interface TaskContext {
  docs: ContextDocument[];
  /** `/prp-execute`'s PRP (read-only during the run), or a PRP the command reads. */
  prp?: string;
  /** `/prp-create`'s target file. */
  prpTarget?: string;
  template?: string;
  templateMissing?: boolean;
  warnings: string[];
}

/**
 * The `docfile:` references of a PRP, read with the PRP reader (so `## IF` blocks that do not apply to this project
 * are left out); the plain reference scan when the reader cannot parse the PRP.
 */
export function prpDocfiles(text: string, file: string, facts?: ProjectFacts): string[] {
  const parsed = parsePrp(text, file, facts ? { facts } : {});
  const refs = parsed.value
    ? parsed.value.contextReferences.filter((r) => r.kind === 'docfile').map((r) => r.target)
    : extractReferences(text)
        .filter((r) => r.kind === 'docfile')
        .map((r) => r.value);
  return refs.map((r) => r.replace(/^\.\//, '')).filter((r) => r !== '' && !/[[\]{}<>*?]/.test(r));
}

/** The documents of the context block for a task (the snapshot is added by the caller). */
export async function gatherContext(
  workspace: Workspace,
  commandName: string,
  positionals: readonly string[],
  options: { defaultTemplate: string; argsText: string; facts?: ProjectFacts },
): Promise<TaskContext> {
  const docs: ContextDocument[] = [];
  const warnings: string[] = [];
  const claude = await readContextFile(workspace, 'CLAUDE.md', 'claude-md');
  if (claude) docs.push(claude);
  const out: TaskContext = { docs, warnings };

  const prp = prpArgument(positionals);
  if (prp && commandName !== PRP_CREATE) {
    const doc = await readContextFile(workspace, prp, 'prp');
    if (doc) {
      out.prp = prp;
      docs.push(doc);
      const docfiles = prpDocfiles(doc.text, prp, options.facts);
      for (const rel of [...new Set(docfiles)].slice(0, MAX_DOCFILES)) {
        const d = await readContextFile(workspace, rel, 'docfile');
        if (d) docs.push(d);
        else warnings.push(`${prp}: docfile ${rel} could not be read; it is not in the context`);
      }
      if (docfiles.length > MAX_DOCFILES) {
        warnings.push(`${prp}: only the first ${MAX_DOCFILES} of ${docfiles.length} docfiles are in the context`);
      }
    } else if (commandName === PRP_EXECUTE) {
      warnings.push(`${prp} could not be read`);
    }
  }
  if (commandName === PRP_CREATE) {
    const name = slugify(positionals[0] ?? options.argsText);
    if (name) out.prpTarget = `PRPs/${name}.md`;
    const template = `PRPs/templates/${options.defaultTemplate}.md`;
    out.template = template;
    const doc = await readContextFile(workspace, template, 'template');
    if (doc) docs.push(doc);
    else {
      out.templateMissing = true;
      warnings.push(`the configured PRP template ${template} does not exist (orchestration.defaultTemplate)`);
    }
  }
  return out;
}
