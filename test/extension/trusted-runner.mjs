// Runs the extension-host suite with Workspace Trust ENABLED (the harness's own runner starts code-server with
// --disable-workspace-trust, under which every workspace counts as trusted). The fixture folder is then opened
// in Restricted Mode, which is what the `[restricted]` tests need. Otherwise this is the harness's
// runExtensionTests: a fresh profile, test-mode workbench, the test payload, codeAutomationExit.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';

export async function runWithTrust(
  harness,
  { extensionDevelopmentPath, extensionTestsPath, folder, extensionEnv, timeoutMs = 300_000 },
) {
  const h = await import(path.join(harness, 'harness.mjs'));
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-trust-'));
  const userData = path.join(workDir, 'user-data');
  const extDir = path.join(workDir, 'extensions');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(extDir, { recursive: true });
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify({
      ...h.DEFAULT_SETTINGS,
      'security.workspace.trust.enabled': true,
      'security.workspace.trust.startupPrompt': 'never',
      'security.workspace.trust.banner': 'never',
      'security.workspace.trust.emptyWindow': false,
    }),
  );
  const port = await h.freePort();
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(workDir, 'xdg-config'),
    XDG_DATA_HOME: path.join(workDir, 'xdg-data'),
    EXTENSIONS_GALLERY: '{}',
  };
  const logFile = path.join(workDir, 'code-server.log');
  const out = fs.openSync(logFile, 'a');
  const child = spawn(
    h.NODE,
    [
      h.CODE_SERVER,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--user-data-dir',
      userData,
      '--extensions-dir',
      extDir,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      '--reconnection-grace-time',
      '10',
      '--vscode-option',
      'enable-smoke-test-driver',
      path.resolve(folder),
    ],
    { env, stdio: ['ignore', out, out], detached: true },
  );
  fs.closeSync(out);
  let code = 2;
  const stop = async () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
    await new Promise((r) => setTimeout(r, 500));
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  };
  const url = `http://127.0.0.1:${port}/`;
  const t0 = Date.now();
  for (;;) {
    try {
      if ((await fetch(`${url}healthz`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() - t0 > 60_000) {
      await stop();
      throw new Error(`code-server (trust enabled) not up after 60 s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const browser = await h.launchBrowser();
  try {
    const page = await browser.newPage();
    const remote = (p) => `vscode-remote://127.0.0.1:${port}${path.resolve(p)}`;
    const payload = [
      ['extensionDevelopmentPath', remote(extensionDevelopmentPath)],
      ['extensionTestsPath', remote(extensionTestsPath)],
    ];
    if (extensionEnv) payload.push(['extensionEnvironment', JSON.stringify(extensionEnv)]);
    let finish;
    const done = new Promise((r) => {
      finish = r;
    });
    await page.exposeFunction('codeAutomationLog', (_type, args) => {
      const line = util.format(...args);
      if (!/^(Ignoring fetching|Updating additional|Creating a socket|Resolv(ing|ed) connection token|\[)/.test(line))
        console.log(line);
    });
    await page.exposeFunction('codeAutomationExit', (c) => finish(c));
    await page.goto(h.workbenchUrl(url, { folder, payload }));
    const result = await Promise.race([done, new Promise((r) => setTimeout(() => r('timeout'), timeoutMs))]);
    if (result === 'timeout') console.log(`restricted-mode tests timed out after ${timeoutMs} ms`);
    else code = result;
  } finally {
    await browser.close();
    await stop();
    if (code === 0) fs.rmSync(workDir, { recursive: true, force: true });
    else console.log(`code-server log kept: ${logFile}`);
  }
  return code;
}
