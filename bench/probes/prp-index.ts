/**
 * P5 probe: indexing a project's PRPs — `listPrps` (names, titles, status: the listing) and `listPrps` then
 * `readPrp` of each (the full parse: sections, levels, commands) — against plain reading of the same files (a
 * directory walk and `readFile` of each), all three interleaved in one process.
 */
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { listPrps, readPrp } from '../../src/core/prp';
import { Workspace } from '../../src/core/workspace';
import { NodeFileSystem } from '../../src/node/node-file-system';
import { answer, interleave, probeArgs } from './probe';

const args = probeArgs<{ dir: string; runs: number; warmup: number }>();
const workspace = new Workspace(args.dir, new NodeFileSystem());
let counts = { listed: 0, parsed: 0, problems: 0, bytes: 0 };

async function list(): Promise<void> {
  const listing = await listPrps(workspace);
  if (!listing.value) throw new Error('listPrps failed');
  counts.listed = listing.value.prps.length;
}

async function ours(): Promise<void> {
  const listing = await listPrps(workspace);
  if (!listing.value) throw new Error('listPrps failed');
  let parsed = 0;
  let problems = listing.problems.length;
  for (const entry of listing.value.prps) {
    const prp = await readPrp(workspace, entry.file);
    if (prp.value) parsed++;
    problems += prp.problems.filter((p) => p.severity === 'error').length;
  }
  counts = { ...counts, listed: listing.value.prps.length, parsed, problems };
}

async function baseline(): Promise<void> {
  let bytes = 0;
  const walk = async (dir: string): Promise<void> => {
    for (const d of await readdir(dir, { withFileTypes: true })) {
      const abs = path.join(dir, d.name);
      if (d.isDirectory()) await walk(abs);
      else if (d.name.endsWith('.md')) bytes += (await readFile(abs)).length;
    }
  };
  await walk(path.join(args.dir, 'PRPs'));
  counts.bytes = bytes;
}

const [base, listed, parsed] = await interleave([baseline, list, ours], args.runs, args.warmup);
answer({ baseline: base, list: listed, ours: parsed, ...counts });
