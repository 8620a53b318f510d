// Runs the extension-host suite in a real VS Code (code-server, see ../shared/vscode-harness), twice:
//   1. the main suite through the harness CLI: `node harness.mjs test --dev . --tests <entry> --folder <fixture>`
//      (Workspace Trust off, as the harness sets it up: the workspace counts as trusted);
//   2. the `[restricted]` tests with Workspace Trust on and the fixture untrusted (trusted-runner.mjs).
// Each run gets a fresh copy of test/extension/fixture and its own approvals store (CCF_CONFIG_DIR).
// Needs `npm run build && npm run test:ext:compile` first (the `test:ext` script does both).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { harnessDir, REPO } from './harness-location.mjs';
import { runWithTrust } from './trusted-runner.mjs';

const harness = harnessDir();
const entry = path.join(REPO, 'out/test/extension/index');
if (!fs.existsSync(`${entry}.js`)) {
  console.error(`${entry}.js missing: run npm run test:ext:compile`);
  process.exit(1);
}

function freshWorkspace() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-ext-ws-'));
  fs.cpSync(path.join(REPO, 'test/extension/fixture'), dir, { recursive: true });
  return fs.realpathSync(dir);
}

const only = process.argv[2];
const started = Date.now();
let failed = 0;

if (!only || only === 'main') {
  const folder = freshWorkspace();
  const env = {
    CCF_CONFIG_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-ext-config-')),
    CCF_EXT_SUITE: 'main',
    CCF_TEST_SUITE: 'extension host',
    ...(process.env.CCF_TEST_TOTALS ? { CCF_TEST_TOTALS: process.env.CCF_TEST_TOTALS } : {}),
  };
  const t0 = Date.now();
  const r = spawnSync(
    process.execPath,
    [
      path.join(harness, 'harness.mjs'),
      'test',
      '--dev',
      REPO,
      '--tests',
      entry,
      '--folder',
      folder,
      '--env',
      JSON.stringify(env),
      '--timeout',
      '900',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  process.stdout.write(r.stdout ?? '');
  // The harness prints this line when the extension host reported; anything else means the suite never ran.
  const reported = /extension host tests exit code: (\d+)/.exec(r.stdout ?? '');
  console.log(`extension host suite: exit ${r.status} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (r.status !== 0 || !reported || reported[1] !== '0') {
    if (!reported) console.log('ERROR: the VS Code harness did not run the extension host suite (see above)');
    failed++;
  }
}

if (!only || only === 'restricted') {
  const folder = freshWorkspace();
  const t0 = Date.now();
  const code = await runWithTrust(harness, {
    extensionDevelopmentPath: REPO,
    extensionTestsPath: entry,
    folder,
    extensionEnv: {
      CCF_CONFIG_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-ext-config-')),
      CCF_EXT_SUITE: 'restricted',
      CCF_TEST_SUITE: 'extension host (Restricted Mode)',
      ...(process.env.CCF_TEST_TOTALS ? { CCF_TEST_TOTALS: process.env.CCF_TEST_TOTALS } : {}),
    },
  });
  console.log(`restricted-mode suite: exit ${code} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (code !== 0) failed++;
}
console.log(`extension suites done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);
