/**
 * Which shipped template becomes which project file. The template tree mirrors the project tree except
 * `commands/` → `.claude/commands/` and `claude/` → `.claude/` (dot-folders do not survive every packager);
 * `README.md` at the top of `templates/` documents the templates and is not copied.
 */
import * as path from 'node:path';
import type { FileSystem } from '../ports/file-system';

export type EntryKind = 'file' | 'settings';

export interface TemplateEntry {
  /** Path inside `templates/`, `/`-separated. */
  template: string;
  /** Project-relative target, `/`-separated. */
  target: string;
  kind: EntryKind;
}

export const SETTINGS_FILE = '.claude/settings.local.json';
export const MANIFEST_FILE = '.claude/.context-forge-init.json';
export const COMPLETED_KEEP_FILE = 'PRPs/completed/.gitkeep';
export const GITIGNORE_FILE = '.gitignore';
export const STATE_DIR_PATTERN = '.context-forge/';

export function targetOf(template: string): TemplateEntry | undefined {
  if (template === 'README.md') return undefined;
  if (template === 'claude/settings.local.json') return { template, target: SETTINGS_FILE, kind: 'settings' };
  if (template.startsWith('commands/')) return { template, target: `.claude/${template}`, kind: 'file' };
  if (template.startsWith('claude/')) return { template, target: `.${template}`, kind: 'file' };
  return { template, target: template, kind: 'file' };
}

/** Every template file (dotfiles skipped), in a stable order. */
export async function listTemplateEntries(fs: FileSystem, templatesRoot: string): Promise<TemplateEntry[]> {
  const files: string[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    const entries = await fs.readDir(dir);
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.type === 'directory') await walk(path.join(dir, e.name), rel);
      else if (e.type === 'file') files.push(rel);
    }
  };
  await walk(templatesRoot, '');
  return files
    .sort()
    .map(targetOf)
    .filter((e): e is TemplateEntry => e !== undefined);
}
