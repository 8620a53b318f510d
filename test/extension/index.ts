/**
 * The extension-host test entry (the `extensionTestsPath` contract of @vscode/test-electron and of the harness):
 * `run()` runs the mocha suite inside the real extension host. `CCF_EXT_SUITE=restricted` runs only the tests
 * tagged `[restricted]` (a workspace in Restricted Mode); otherwise everything else runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export async function run(): Promise<void> {
  const Mocha = require('mocha') as typeof import('mocha');
  const repo = path.resolve(__dirname, '../../..');
  const restricted = process.env.CCF_EXT_SUITE === 'restricted';
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 90_000,
    color: false,
    forbidOnly: true,
    reporter: path.join(repo, 'test/support/totals-reporter.cjs'),
  });
  mocha.grep(/\[restricted\]/);
  if (!restricted) mocha.invert();
  const dir = path.join(__dirname, 'suite');
  for (const f of fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.test.js'))
    .sort())
    mocha.addFile(path.join(dir, f));
  await new Promise<void>((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
}
