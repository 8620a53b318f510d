// Builds dist/codex-context-forge.vsix with @vscode/vsce. package.json's `files` (what `npm pack` ships for the
// CLI) and .vscodeignore (what the .vsix ships) cannot be used together by vsce, so the extension is packaged
// from a staging folder: package.json without `files`, the .vscodeignore, and the folders it lets through.
// vsce 4 needs Node >= 22: it runs under $VSCODE_HARNESS_NODE when set (see ../shared/vscode-harness).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const stage = path.join(repo, '.tmp', 'vsix-stage');
const out = path.join(repo, 'dist', 'codex-context-forge.vsix');
fs.rmSync(stage, { recursive: true, force: true });
fs.mkdirSync(stage, { recursive: true });
const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
delete pkg.files;
delete pkg.devDependencies;
delete pkg.scripts;
fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
for (const entry of [
  '.vscodeignore',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  'dist',
  'media',
  'templates',
  'schemas',
  'examples',
]) {
  const from = path.join(repo, entry);
  if (!fs.existsSync(from)) continue;
  fs.cpSync(from, path.join(stage, entry), {
    recursive: true,
    filter: (src) => !src.startsWith(stage) && !src.endsWith('.vsix'),
  });
}
/** The harness's env.sh (`export NAME="value"` lines), when its variables are not in the environment already. */
function harnessEnv() {
  const cache = process.env.VSCODE_HARNESS_CACHE || path.join(os.homedir(), '.cache/vscode-harness');
  const vars = {};
  try {
    for (const m of fs.readFileSync(path.join(cache, 'env.sh'), 'utf8').matchAll(/^export (\w+)="([^"$]*)"$/gm))
      vars[m[1]] = m[2];
  } catch {
    // no harness on this machine
  }
  return vars;
}
const fallback = harnessEnv();
const node = process.env.VSCODE_HARNESS_NODE || fallback.VSCODE_HARNESS_NODE || process.execPath;
const vsce =
  process.env.VSCODE_HARNESS_VSCE || fallback.VSCODE_HARNESS_VSCE || path.join(repo, 'node_modules/@vscode/vsce/vsce');
if (!fs.existsSync(vsce)) {
  console.error(
    `vsce not found at ${vsce}: run \`bash ../shared/vscode-harness/setup.sh\` once (it installs @vscode/vsce and the Node 24 it needs), or run \`npx @vscode/vsce package\` with Node >= 22`,
  );
  process.exit(1);
}
fs.rmSync(out, { force: true });
execFileSync(
  node,
  [
    vsce,
    'package',
    '--no-dependencies',
    '--skip-license',
    '--allow-missing-repository',
    '--no-rewrite-relative-links',
    '--out',
    out,
  ],
  { cwd: stage, stdio: 'inherit' },
);
fs.rmSync(stage, { recursive: true, force: true });
console.log(`${path.relative(repo, out)}: ${(fs.statSync(out).size / 1024).toFixed(0)} KiB`);
