/**
 * P6 activate(): starts the harness's real VS Code (../shared/vscode-harness: code-server + headless Chromium)
 * `runs` times on a copy of the extension's test fixture, each time reading the extension's own `activationMs`.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { REPO, WORK } from '../lib/fixtures';
import { summarize } from '../lib/stats';

function harnessDir(): string | undefined {
  if (process.env.VSCODE_HARNESS_DIR) return realpathSync(path.resolve(process.env.VSCODE_HARNESS_DIR));
  for (let dir = path.dirname(REPO); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'vscode-harness');
    if (existsSync(path.join(candidate, 'harness.mjs'))) return realpathSync(candidate);
  }
  return undefined;
}

export async function measureActivation(
  runs: number,
  log: (m: string) => void,
): Promise<{ samples: number[]; error?: string }> {
  const harness = harnessDir();
  if (!harness) return { samples: [], error: 'no ../shared/vscode-harness beside the repository' };
  const entry = path.join(WORK, 'ext', 'activation-entry.js');
  await esbuild.build({
    entryPoints: [path.join(REPO, 'bench/extension/activation-entry.ts')],
    outfile: entry,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    logLevel: 'silent',
  });
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const folder = realpathSync(mkdtempSync(path.join(tmpdir(), 'ccf-bench-ext-ws-')));
    const config = mkdtempSync(path.join(tmpdir(), 'ccf-bench-ext-config-'));
    const out = path.join(folder, '..', `${path.basename(folder)}.json`);
    cpSync(path.join(REPO, 'test/extension/fixture'), folder, { recursive: true });
    log(`activate() in real VS Code, run ${i + 1}/${runs}…`);
    const r = spawnSync(
      process.execPath,
      [
        path.join(harness, 'harness.mjs'),
        'test',
        '--dev',
        REPO,
        '--tests',
        entry.replace(/\.js$/, ''),
        '--folder',
        folder,
        '--env',
        JSON.stringify({ CCF_BENCH_OUT: out, CCF_CONFIG_DIR: config }),
        '--timeout',
        '300',
      ],
      { encoding: 'utf8', timeout: 400_000 },
    );
    try {
      if (r.status !== 0 || !existsSync(out)) {
        return {
          samples,
          error: `harness exit ${r.status}: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')}`,
        };
      }
      samples.push((JSON.parse(readFileSync(out, 'utf8')) as { activationMs: number }).activationMs);
    } finally {
      rmSync(folder, { recursive: true, force: true });
      rmSync(config, { recursive: true, force: true });
      rmSync(out, { force: true });
    }
  }
  return { samples };
}

export { summarize };
