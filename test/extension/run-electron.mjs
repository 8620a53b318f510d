// The same extension-host suite through @vscode/test-electron, for machines that can download VS Code
// (it fetches a VS Code build from the internet; it cannot run on our CI machines — use run.mjs there).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { REPO } from './harness-location.mjs';

function freshWorkspace() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-ext-ws-'));
  fs.cpSync(path.join(REPO, 'test/extension/fixture'), dir, { recursive: true });
  return fs.realpathSync(dir);
}

const extensionTestsEnv = {
  CCF_CONFIG_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-ext-config-')),
  CCF_EXT_SUITE: 'main',
};
try {
  await runTests({
    version: '1.139.1',
    extensionDevelopmentPath: REPO,
    extensionTestsPath: path.join(REPO, 'out/test/extension/index'),
    launchArgs: [freshWorkspace(), '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv,
  });
} catch (err) {
  console.error(`extension tests failed: ${err}`);
  process.exit(1);
}
