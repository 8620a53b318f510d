/**
 * P1 CLI cold start: `dist/cli.js --version` and `list --json` on a 200-PRP project, against `node -e 0` (the floor
 * any Node CLI stands on), and against Task Master's `task-master --version` (npm package task-master-ai, installed
 * into a scratch folder — never our dependency) when it can be installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { prpProject, WORK } from '../lib/fixtures';
import type { Entry } from '../lib/results';
import { type CommandSpec, compareCommands, ratio } from '../lib/stats';
import { type BenchCase, type BenchContext, cliHas } from './context';

const GOAL = '≤ 1.6× node';
const PEER_VERSION = '0.43.1';

function installPeer(ctx: BenchContext): { bin?: string; why?: string } {
  const dir = path.join(WORK, 'peers/task-master');
  const bin = path.join(dir, 'node_modules/task-master-ai/dist/task-master.js');
  if (existsSync(bin)) return { bin };
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), '{ "private": true }\n');
  ctx.log(`installing task-master-ai@${PEER_VERSION} into ${dir} (scratch; about a minute)…`);
  const r = spawnSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-save', `task-master-ai@${PEER_VERSION}`],
    { cwd: dir, encoding: 'utf8', timeout: 600_000 },
  );
  if (r.status !== 0 || !existsSync(bin))
    return { why: `npm install failed: ${(r.stderr ?? '').trim().split('\n').pop()}` };
  return { bin };
}

export const p1ColdStart: BenchCase = async (ctx) => {
  const project = prpProject('p1-prps', 200);
  const node: CommandSpec = { label: 'node -e 0', command: ctx.node, args: ['-e', '0'] };
  const version: CommandSpec = {
    label: 'cli --version',
    command: ctx.node,
    args: [ctx.cli, '--version'],
    env: ctx.env,
  };
  const specs = [node, version];
  const hasList = cliHas(ctx, 'list');
  if (hasList)
    specs.push({
      label: 'cli list --json',
      command: ctx.node,
      args: [ctx.cli, 'list', '--json'],
      cwd: project.dir,
      env: ctx.env,
    });
  let peer: { bin?: string; why?: string } = { why: 'not measured (--no-peers)' };
  if (ctx.peers) peer = installPeer(ctx);
  if (peer.bin) specs.push({ label: 'task-master --version', command: ctx.node, args: [peer.bin, '--version'] });

  const samples = compareCommands(specs, ctx.runs, ctx.warmup + 1);
  const base = samples[0]!;
  const entries: Entry[] = [];
  const push = (i: number, title: string, extra: Partial<Entry> = {}) => {
    const r = ratio(samples[i]!.median, base.median);
    entries.push({
      id: 'P1',
      title,
      status: 'measured',
      baseline: { label: 'node -e 0', sample: base },
      ours: { label: specs[i]!.label, sample: samples[i]! },
      ratio: r,
      goal: GOAL,
      met: r <= 1.6,
      ...extra,
    });
  };
  push(1, 'CLI cold start: --version');
  if (hasList) push(2, 'CLI cold start: list --json, 200 PRPs');
  else
    entries.push({
      id: 'P1',
      title: 'CLI cold start: list --json, 200 PRPs',
      status: 'pending',
      goal: GOAL,
      note: 'the `list` command has not landed on main yet',
    });
  const peerIndex = specs.findIndex((s) => s.label === 'task-master --version');
  if (peerIndex > 0) {
    const r = ratio(samples[peerIndex]!.median, base.median);
    entries.push({
      id: 'P1',
      title: `peer: Task Master ${PEER_VERSION} --version`,
      status: 'measured',
      baseline: { label: 'node -e 0', sample: base },
      ours: { label: 'task-master --version', sample: samples[peerIndex]! },
      ratio: r,
      goal: 'context',
      details: {
        'task-master --version against ours': `${ratio(samples[peerIndex]!.median, samples[1]!.median)}× as long`,
      },
      note: 'its own bin run with node (npx would add npm’s own start-up to both)',
    });
  } else {
    entries.push({
      id: 'P1',
      title: 'peer: Task Master --version',
      status: 'unavailable',
      goal: 'context',
      note: peer.why ?? '',
    });
  }
  return entries;
};
