/**
 * P6 extension: the size of what VS Code loads (dist/extension.js and the bundles it loads lazily), the packaged
 * .vsix when the `package` script exists, and activate()'s own time inside the harness's real VS Code when the
 * extension reports it (`activationMs` of its API).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { REPO } from '../lib/fixtures';
import type { Entry } from '../lib/results';
import type { BenchCase } from './context';

const MB = 2 ** 20;

export const p6Extension: BenchCase = async (ctx) => {
  const entries: Entry[] = [];
  const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const dist = path.join(REPO, 'dist');
  const extFiles = readdirSync(dist).filter((f) => f.endsWith('.js') && !f.startsWith('cli'));
  const extBytes = extFiles.reduce((n, f) => n + statSync(path.join(dist, f)).size, 0);
  entries.push({
    id: 'P6',
    title: 'extension bundle (dist/, without the CLI)',
    status: 'measured',
    value: { text: `${(extBytes / MB).toFixed(2)} MB`, number: extBytes },
    goal: '≤ 1.5 MB',
    met: extBytes <= 1.5 * MB,
    details: { files: extFiles.join(', ') },
    note: 'development build (npm run build)',
  });
  if (pkg.scripts.package) {
    ctx.log('packaging the .vsix (npm run package)…');
    const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: REPO, encoding: 'utf8', timeout: 600_000 });
    const vsix = readdirSync(REPO).filter((f) => f.endsWith('.vsix'));
    if (r.status === 0 && vsix.length > 0) {
      const size = statSync(path.join(REPO, vsix[0]!)).size;
      entries.push({
        id: 'P6',
        title: '.vsix package',
        status: 'measured',
        value: { text: `${(size / MB).toFixed(2)} MB`, number: size },
        goal: '≤ 1.5 MB',
        met: size <= 1.5 * MB,
        details: { file: vsix[0]! },
      });
    } else {
      entries.push({
        id: 'P6',
        title: '.vsix package',
        status: 'unavailable',
        goal: '≤ 1.5 MB',
        note: `npm run package failed: ${r.stderr.trim().split('\n').pop()}`,
      });
    }
  } else {
    entries.push({
      id: 'P6',
      title: '.vsix package',
      status: 'pending',
      goal: '≤ 1.5 MB',
      note: 'the `package` script arrives with the extension branch',
    });
  }
  const activation = existsSync(path.join(REPO, 'bench/extension/activation.mjs'))
    ? await import(path.join(REPO, 'bench/extension/activation.mjs'))
    : undefined;
  if (activation) {
    entries.push(...((await activation.measure(ctx)) as Entry[]));
  } else {
    entries.push({
      id: 'P6',
      title: 'activate() own time in real VS Code',
      status: 'pending',
      goal: '≤ 30 ms',
      note: 'the extension (and its activationMs) has not landed on main yet',
    });
  }
  return entries;
};
