/**
 * The PRPs of a project: every `PRPs/**\/*.md`, with `templates/` and `ai_docs/` listed apart and `completed/`
 * marked done. Walks through the FileSystem port; a symlink that resolves outside the project is skipped with
 * a warning, and symlink loops are walked once.
 */
import * as path from 'node:path';
import { type Problem, problem, type ReadResult } from '../problems';
import { decodeUtf8, MAX_INPUT_BYTES } from '../text';
import { isInside, type Workspace } from '../workspace';
import { RULE_PATH_OUTSIDE_PROJECT } from './read-prp';
import { extractTitle } from './title';

export const PRPS_DIR = 'PRPs';
export const RULE_UNREADABLE_PRP = 'prp-unreadable';

/** How many PRP files are read at once for their titles. */
const TITLE_READS = 16;

/** How deep under `PRPs/` the walk goes. */
const MAX_DEPTH = 16;

export type PrpStatus = 'active' | 'completed' | 'template' | 'ai_doc';

export interface PrpEntry {
  /** Path under `PRPs/` without `.md`: `user-export`, `completed/dark-mode`, `templates/prp_base`. */
  name: string;
  /** Project-relative path. */
  file: string;
  title: string;
  status: PrpStatus;
}

export interface PrpListing {
  /** Active and completed PRPs. */
  prps: PrpEntry[];
  templates: PrpEntry[];
  aiDocs: PrpEntry[];
}

function statusOf(name: string): PrpStatus {
  const first = name.split('/')[0];
  if (first === 'templates') return 'template';
  if (first === 'ai_docs') return 'ai_doc';
  if (first === 'completed') return 'completed';
  return 'active';
}

export async function listPrps(workspace: Workspace): Promise<ReadResult<PrpListing>> {
  const listing: PrpListing = { prps: [], templates: [], aiDocs: [] };
  const problems: Problem[] = [];
  const fs = workspace.fs;
  const root = await workspace.canonicalRoot();
  const visited = new Set<string>();

  /** Follows a symlink; undefined (with a warning) when it dangles or leaves the project. */
  const follow = async (
    abs: string,
    rel: string,
  ): Promise<{ real: string; type: 'file' | 'directory' } | undefined> => {
    let real: string;
    try {
      real = await fs.realPath(abs);
    } catch {
      problems.push(problem(rel, 1, 1, RULE_UNREADABLE_PRP, 'symbolic link points to nothing; skipped', 'warning'));
      return undefined;
    }
    if (!isInside(root, real)) {
      problems.push(
        problem(rel, 1, 1, RULE_PATH_OUTSIDE_PROJECT, 'symbolic link resolves outside the project; skipped', 'warning'),
      );
      return undefined;
    }
    const st = await fs.stat(real);
    if (st?.type === 'file' || st?.type === 'directory') return { real, type: st.type };
    return undefined;
  };

  const top = workspace.abs(PRPS_DIR);
  const topStat = await fs.stat(top);
  if (!topStat) return { value: listing, problems };
  let start = top;
  if (topStat.type === 'symlink') {
    const target = await follow(top, PRPS_DIR);
    if (target?.type !== 'directory') return { value: listing, problems };
    start = target.real;
  } else if (topStat.type !== 'directory') {
    return { value: listing, problems };
  }

  const prpsReal = await fs.realPath(start).catch(() => start);
  const titles: Array<{ prp: PrpEntry; abs: string }> = [];
  const stack: Array<{ dir: string; rel: string; depth: number }> = [{ dir: start, rel: '', depth: 0 }];
  while (stack.length > 0) {
    const { dir, rel, depth } = stack.pop()!;
    const real = await fs.realPath(dir).catch(() => dir);
    if (visited.has(real)) continue;
    visited.add(real);
    let entries: Awaited<ReturnType<typeof fs.readDir>>;
    try {
      entries = await fs.readDir(dir);
    } catch (e) {
      problems.push(
        problem(
          `${PRPS_DIR}/${rel}`,
          1,
          1,
          RULE_UNREADABLE_PRP,
          `cannot read directory: ${(e as Error).message}`,
          'warning',
        ),
      );
      continue;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const abs = path.join(dir, entry.name);
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      const projectRel = `${PRPS_DIR}/${childRel}`;
      let type = entry.type;
      let target = abs;
      if (type === 'symlink') {
        const followed = await follow(abs, projectRel);
        if (!followed) continue;
        // A link to PRPs/ itself or one of its parents is a loop: it adds nothing but repeats.
        if (followed.type === 'directory' && isInside(followed.real, prpsReal)) continue;
        type = followed.type;
        target = followed.real;
      }
      if (type === 'directory') {
        if (depth + 1 >= MAX_DEPTH) {
          problems.push(
            problem(
              projectRel,
              1,
              1,
              RULE_UNREADABLE_PRP,
              `nested more than ${MAX_DEPTH} folders deep; skipped`,
              'warning',
            ),
          );
          continue;
        }
        stack.push({ dir: target, rel: childRel, depth: depth + 1 });
        continue;
      }
      if (type !== 'file' || !/\.md$/i.test(entry.name)) continue;
      const name = childRel.replace(/\.md$/i, '');
      const prp: PrpEntry = { name, file: projectRel, title: name, status: statusOf(name) };
      titles.push({ prp, abs: target });
      if (prp.status === 'template') listing.templates.push(prp);
      else if (prp.status === 'ai_doc') listing.aiDocs.push(prp);
      else listing.prps.push(prp);
    }
  }
  // Titles are read TITLE_READS files at a time: one after another, each file's round trips to the thread pool
  // made a listing of hundreds of PRPs wait on the disk hundreds of times over.
  let next = 0;
  const reader = async (): Promise<void> => {
    while (next < titles.length) {
      const { prp, abs } = titles[next++]!;
      prp.title = await readTitle(workspace, abs, prp.file, prp.name, problems);
    }
  };
  await Promise.all(Array.from({ length: Math.min(TITLE_READS, titles.length) }, reader));
  const byName = (a: PrpEntry, b: PrpEntry): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  listing.prps.sort(byName);
  listing.templates.sort(byName);
  listing.aiDocs.sort(byName);
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { value: listing, problems };
}

async function readTitle(
  workspace: Workspace,
  abs: string,
  rel: string,
  fallback: string,
  problems: Problem[],
): Promise<string> {
  const st = await workspace.fs.stat(abs);
  if (st && st.size > MAX_INPUT_BYTES) {
    problems.push(
      problem(rel, 1, 1, 'file-too-large', `file is ${st.size} bytes, over the ${MAX_INPUT_BYTES}-byte limit`),
    );
    return fallback;
  }
  let bytes: Uint8Array;
  try {
    bytes = await workspace.fs.readFile(abs);
  } catch (e) {
    problems.push(problem(rel, 1, 1, RULE_UNREADABLE_PRP, `cannot read the file: ${(e as Error).message}`, 'warning'));
    return fallback;
  }
  const decoded = decodeUtf8(bytes, rel);
  if (decoded.problems.length > 0) {
    problems.push(...decoded.problems);
    return fallback;
  }
  return extractTitle(decoded.text).title ?? fallback;
}
