/**
 * After a passed run, the PRP moves to `PRPs/completed/` (configurable) so the list of active PRPs stays the work
 * still to do. The run service calls this only when the harness's gates passed — never on the agent's word.
 *
 * Both ends are checked inside the project (after following symlinks); an existing file of the same name in the
 * completed folder is never overwritten (`name-2.md`, `name-3.md`… instead); the move is a rename (atomic on one
 * file system). A PRP already in the completed folder, or outside `PRPs/`, is refused with a message.
 */
import * as path from 'node:path';
import { PathEscapeError, type Workspace } from '../workspace';

export const DEFAULT_COMPLETED_DIR = 'PRPs/completed';

export type MoveCompletedResult = { ok: true; from: string; to: string } | { ok: false; message: string };

export async function moveCompletedPrp(
  workspace: Workspace,
  prp: string,
  options: { completedDir?: string } = {},
): Promise<MoveCompletedResult> {
  const from = path.posix.normalize(prp.replace(/\\/g, '/').replace(/^\.\//, ''));
  const dir = path.posix.normalize((options.completedDir ?? DEFAULT_COMPLETED_DIR).replace(/\/+$/, ''));
  if (!from.startsWith('PRPs/') || !from.endsWith('.md')) {
    return { ok: false, message: `${prp} is not a PRP under PRPs/; not moved` };
  }
  if (from.startsWith(`${dir}/`)) return { ok: false, message: `${prp} is already in ${dir}/` };
  let fromAbs: string;
  let dirAbs: string;
  try {
    fromAbs = await workspace.resolveInside(from);
    dirAbs = await workspace.resolveInside(dir);
  } catch (err) {
    if (err instanceof PathEscapeError) return { ok: false, message: `${err.message}; the PRP was not moved` };
    throw err;
  }
  const st = await workspace.fs.stat(fromAbs);
  if (st?.type !== 'file') return { ok: false, message: `${prp} does not exist (or is not a regular file)` };
  const dirSt = await workspace.fs.stat(dirAbs);
  if (dirSt && dirSt.type !== 'directory') return { ok: false, message: `${dir} exists and is not a folder` };
  await workspace.fs.mkdir(dirAbs);
  const base = path.posix.basename(from, '.md');
  for (let n = 1; n < 1000; n++) {
    const name = n === 1 ? `${base}.md` : `${base}-${n}.md`;
    const to = `${dir}/${name}`;
    const toAbs = workspace.abs(to);
    if (await workspace.fs.stat(toAbs)) continue;
    await workspace.fs.rename(fromAbs, toAbs);
    return { ok: true, from, to };
  }
  return { ok: false, message: `${dir}/ already holds 999 files named like ${base}.md` };
}
