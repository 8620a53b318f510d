/**
 * Init's manifest (`.claude/.context-forge-init.json`): the hash of what init last wrote to each file, so a
 * later init can tell "the user never touched this file" (safe to update to a newer template) from "the
 * user changed it" (kept). It lives in `.claude/`, committed with the files it describes — not under the
 * git-ignored `.context-forge/`, or a teammate's clone would treat every generated file as user-modified.
 */
import { type Problem, problem } from '../problems';
import { parseJsonFile } from '../project/detect/parse-json';
import { decodeUtf8 } from '../text';
import type { Workspace } from '../workspace';
import { MANIFEST_FILE } from './layout';

export const MANIFEST_VERSION = 1;
const HASH = /^sha256:[0-9a-f]{64}$/;

export interface InitManifest {
  /** Path (or `path#key` for a merged JSON key) → hash of what init wrote. */
  files: Map<string, string>;
}

export async function readManifest(workspace: Workspace): Promise<{ manifest: InitManifest; problems: Problem[] }> {
  const empty = { manifest: { files: new Map<string, string>() }, problems: [] as Problem[] };
  const abs = workspace.abs(MANIFEST_FILE);
  const stat = await workspace.fs.stat(abs);
  if (stat === undefined) return empty;
  const warn = (line: number, column: number, message: string): { manifest: InitManifest; problems: Problem[] } => ({
    manifest: { files: new Map() },
    problems: [
      problem(
        MANIFEST_FILE,
        line,
        column,
        'init-manifest',
        `${message}; it is ignored (files that differ from the templates are kept) and rewritten`,
        'warning',
      ),
    ],
  });
  if (stat.type !== 'file') return warn(1, 1, 'is not a regular file');
  const decoded = decodeUtf8(await workspace.fs.readFile(abs), MANIFEST_FILE);
  if (decoded.problems.length > 0) return warn(decoded.problems[0]!.line, decoded.problems[0]!.column, 'is not UTF-8');
  const parsed = parseJsonFile(decoded.text, MANIFEST_FILE);
  const first = parsed.problems[0];
  if (first) return warn(first.line, first.column, first.message);
  const value = parsed.value as { version?: unknown; files?: unknown } | null;
  if (typeof value !== 'object' || value === null || value.version !== MANIFEST_VERSION) {
    return warn(1, 1, `is not a version ${MANIFEST_VERSION} init manifest`);
  }
  const files = new Map<string, string>();
  if (typeof value.files === 'object' && value.files !== null && !Array.isArray(value.files)) {
    for (const [key, hash] of Object.entries(value.files))
      if (typeof hash === 'string' && HASH.test(hash)) files.set(key, hash);
  }
  return { manifest: { files }, problems: [] };
}

/** The manifest's text: keys sorted, so the same content always gives the same bytes. */
export function serializeManifest(files: ReadonlyMap<string, string>, generator: string): string {
  const sorted: Record<string, string> = {};
  for (const key of [...files.keys()].sort()) sorted[key] = files.get(key)!;
  return `${JSON.stringify({ version: MANIFEST_VERSION, generator, files: sorted }, null, 2)}\n`;
}
