// End-to-end in a real VS Code (code-server, NOT in test mode) with the packaged .vsix installed, driven by
// headless Chromium: open the fixture workspace, run "Context Forge: Orchestrate" from the palette, pick the
// workflow whose gate fails and is then fixed, approve its commands in the modal dialog, and check the status
// bar, the execution panel's step states (inside the webview iframes), the terminal output and the Problems
// count; then reload and check that the panel is restored. Screenshots go to test-artifacts/e2e/; the tree,
// panel and Problems shots are copied to media/screenshots/ for the README.
//   npm run test:e2e        (packages the .vsix first)
//   node test/e2e/orchestrate.e2e.mjs [--vsix dist/codex-context-forge.vsix]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { harnessDir, REPO } from '../extension/harness-location.mjs';

const h = await import(path.join(harnessDir(), 'harness.mjs'));
const argv = process.argv.slice(2);
const vsix = path.resolve(
  argv[argv.indexOf('--vsix') + 1] && argv.includes('--vsix')
    ? argv[argv.indexOf('--vsix') + 1]
    : path.join(REPO, 'dist/codex-context-forge.vsix'),
);
if (!fs.existsSync(vsix)) {
  console.error(`${vsix} missing: run npm run package`);
  process.exit(1);
}
const artifacts = path.join(REPO, 'test-artifacts', 'e2e');
fs.rmSync(artifacts, { recursive: true, force: true });
fs.mkdirSync(artifacts, { recursive: true });
const folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-e2e-ws-')));
fs.cpSync(path.join(REPO, 'test/extension/fixture'), folder, { recursive: true });
const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-e2e-config-'));

let passed = 0;
let failed = 0;
const results = [];
async function check(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    passed++;
    results.push(`  ✔ ${name} (${Date.now() - t0} ms)`);
    console.log(results.at(-1));
  } catch (err) {
    failed++;
    results.push(`  ✗ ${name}: ${err.message}`);
    console.log(results.at(-1));
    throw err;
  }
}

const t0 = Date.now();
const server = await h.startCodeServer({
  folder,
  vsix: [vsix],
  env: { CCF_CONFIG_DIR: configDir },
  // The DOM renderer puts the terminal's text in the page, where the test can read it.
  settings: { 'terminal.integrated.gpuAcceleration': 'off' },
});
console.log(`code-server up in ${server.startupMs} ms, ${path.basename(vsix)} installed`);
const browser = await h.launchBrowser();
let page;
const shot = async (name) => {
  const file = path.join(artifacts, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
};
try {
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('requestfailed', (r) => {
    if (!/vsda|127\.0\.0\.1/.test(r.url())) console.log('request failed:', r.url());
  });
  await h.openWorkbench(page, h.workbenchUrl(server.url, { folder }));
  const statusItem = (text) => page.locator('.statusbar-item', { hasText: text });
  const panel = () => page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  const panelTab = (name) => page.locator('.part.panel .composite-bar .action-label', { hasText: name }).first();
  const terminalText = () =>
    page.evaluate(() => [...document.querySelectorAll('.terminal .xterm-rows')].map((e) => e.textContent).join('\n'));

  await check("the activity bar opens the Context Forge trees with the fixture's PRPs and workflows", async () => {
    await page.locator('.activitybar [aria-label^="Context Forge"]').first().click();
    await page.locator('.pane-header', { hasText: 'PRPs & Workflows' }).waitFor({ timeout: 60_000 });
    await page.locator('.monaco-list-row', { hasText: 'sample-feature' }).waitFor({ timeout: 60_000 });
    await page.locator('.monaco-list-row', { hasText: 'fix_demo' }).waitFor();
    await page.locator('.monaco-list-row', { hasText: '/hello' }).waitFor();
  });

  await check(
    '"Context Forge: Orchestrate" from the palette lists workflows, commands and PRPs; fix_demo is picked',
    async () => {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor();
      await input.fill('>Context Forge: Orchestrate');
      await page
        .locator('.quick-input-list .monaco-list-row', { hasText: 'Context Forge: Orchestrate' })
        .first()
        .waitFor();
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-title', { hasText: 'Context Forge: Orchestrate' }).waitFor({ timeout: 30_000 });
      for (const label of ['fix_demo', 'exit_three', '/hello', 'sample-feature']) {
        await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor();
      }
      await shot('01-orchestrate-quickpick');
      await input.fill('fix_demo');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'fix_demo' }).first().waitFor();
      await page.keyboard.press('Enter');
    },
  );

  await check('the approval is a modal dialog showing the exact commands; "Allow Once" runs them', async () => {
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    const text = await dialog.textContent();
    for (const c of ['node tools/typecheck.mjs', 'node tools/fix.mjs']) {
      if (!text.includes(c)) throw new Error(`the dialog does not show "${c}":\n${text}`);
    }
    await shot('02-approval-dialog');
    await dialog.locator('.monaco-button', { hasText: 'Allow Once' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  await check('status bar: "Context Forge: step 2/3 · Review, then apply the fix" while the fix waits', async () => {
    await statusItem('Context Forge: step 2/3').waitFor({ timeout: 60_000 });
    const text = await statusItem('Context Forge: step 2/3').first().textContent();
    if (!/Context Forge: step 2\/3 · Review, then apply the fix/.test(text)) throw new Error(`status bar: ${text}`);
  });

  await check('panel: "Type check" failed, "Review, then apply the fix" running, with the gate evidence', async () => {
    const wv = panel();
    await wv.locator('body[data-ready="true"]').waitFor({ state: 'attached', timeout: 60_000 });
    await wv.locator('li.step[data-status="failed"]', { hasText: 'Type check' }).waitFor({ timeout: 30_000 });
    await wv.locator('li.step[data-status="running"]', { hasText: 'Review, then apply the fix' }).waitFor();
    await wv.locator('li.step[data-status="pending"]', { hasText: 'Type check again' }).waitFor();
    await wv.locator('li.step', { hasText: 'Type check' }).first().click();
    await wv.locator('.evidence[data-exit-code="2"]').waitFor();
    await wv.locator('.diagnostic a.location', { hasText: 'src/app.ts:4:31' }).waitFor();
  });

  await check('Problems: the gate failure is counted (1 error) while the fix waits', async () => {
    const problems = page.locator('[id="status.problems"]');
    await page
      .waitForFunction(
        () =>
          /Errors?: 1\b|\b1 error/i.test(document.getElementById('status.problems')?.getAttribute('aria-label') ?? ''),
        undefined,
        { timeout: 30_000 },
      )
      .catch(async (e) => {
        throw new Error(`${e.message}; problems item: ${await problems.getAttribute('aria-label')}`);
      });
  });

  await check('terminal: the gate output and its exact exit code', async () => {
    await panelTab('Terminal').click();
    await page
      .waitForFunction(
        () => {
          const t = [...document.querySelectorAll('.terminal .xterm-rows')].map((e) => e.textContent).join('\n');
          return /exit code 2/.test(t) && /error TS2322/.test(t);
        },
        undefined,
        { timeout: 30_000 },
      )
      .catch(async (e) => {
        throw new Error(`${e.message}; terminal shows: ${(await terminalText()).slice(0, 2000)}`);
      });
    await shot('03-terminal-during-run');
  });

  await check('after the review the same gate passes: status bar "passed", 0 problems, all steps passed', async () => {
    await panelTab('Problems').click();
    await page
      .locator('.markers-panel .monaco-list-row', { hasText: "Type 'string' is not assignable" })
      .waitFor({ timeout: 30_000 });
    await shot('04-problems-with-gate-failure');
    await page.locator('.part.panel').screenshot({ path: path.join(artifacts, 'problems.png') });
    fs.writeFileSync(path.join(folder, 'review.ok'), 'ok');
    await statusItem('Context Forge: passed').waitFor({ timeout: 60_000 });
    await page.waitForFunction(
      () =>
        /No Problems|Errors?: 0\b/i.test(document.getElementById('status.problems')?.getAttribute('aria-label') ?? ''),
      undefined,
      { timeout: 30_000 },
    );
    const wv = panel();
    await wv.locator('#run-status[data-status="passed"]').waitFor({ timeout: 30_000 });
    await wv.locator('li.step[data-status="passed"]', { hasText: 'Type check again' }).waitFor();
    await wv.locator('li.step[data-status="failed"] .step-name', { hasText: /^Type check$/ }).waitFor();
  });

  await check('terminal: "Run passed" with exit code 0', async () => {
    await panelTab('Terminal').click();
    await page.waitForFunction(
      () => {
        const t = [...document.querySelectorAll('.terminal .xterm-rows')].map((e) => e.textContent).join('\n');
        return /Run passed/.test(t) && /No errors\./.test(t);
      },
      undefined,
      { timeout: 30_000 },
    );
    await shot('05-terminal-after-run');
  });

  await check('a diagnostic link in the panel opens the file at its line (webview → host message)', async () => {
    const wv = panel();
    await wv.locator('li.step', { hasText: 'Type check' }).first().click();
    await wv.locator('.diagnostic a.location', { hasText: 'src/app.ts:4:31' }).click();
    await page.locator('.tab.active', { hasText: 'app.ts' }).waitFor({ timeout: 30_000 });
    await statusItem('Ln 4, Col 31').waitFor({ timeout: 30_000 });
    await page.locator('.tab', { hasText: 'Run: fix_demo' }).first().click();
  });

  await check('screenshots of the tree, the panel and the Problems view', async () => {
    await panelTab('Problems').click();
    await page.locator('.pane-header', { hasText: 'Runs' }).waitFor();
    await page.locator('.monaco-list-row', { hasText: 'fix_demo' }).first().waitFor();
    const wv = panel();
    await wv.locator('li.step', { hasText: 'Type check' }).first().click();
    await wv.locator('.diagnostic a.location').first().waitFor();
    const screens = path.join(REPO, 'media', 'screenshots');
    fs.mkdirSync(screens, { recursive: true });
    const full = await shot('06-tree-panel-problems');
    fs.copyFileSync(full, path.join(screens, 'overview.png'));
    await page.locator('.sidebar').screenshot({ path: path.join(artifacts, 'tree.png') });
    fs.copyFileSync(path.join(artifacts, 'tree.png'), path.join(screens, 'tree.png'));
    await page
      .locator('iframe.webview.ready')
      .first()
      .screenshot({ path: path.join(artifacts, 'panel.png') });
    fs.copyFileSync(path.join(artifacts, 'panel.png'), path.join(screens, 'panel.png'));
    fs.copyFileSync(path.join(artifacts, 'problems.png'), path.join(screens, 'problems.png'));
  });

  await check('after "Developer: Reload Window" the panel is restored by its serializer', async () => {
    // VS Code's own reload: the workbench saves its editors (the panel's state included) before it goes.
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill('>Developer: Reload Window');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Developer: Reload Window' }).first().waitFor();
    await Promise.all([page.waitForEvent('load', { timeout: 60_000 }), page.keyboard.press('Enter')]);
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    const wv = panel();
    await wv.locator('#run-status[data-status="passed"]').waitFor({ timeout: 90_000 });
    await wv.locator('li.step[data-status="passed"]', { hasText: 'Type check again' }).waitFor();
  });
} catch (err) {
  if (page) await shot('failure').catch(() => undefined);
  console.log(`e2e failed: ${err.stack ?? err}`);
} finally {
  await browser.close();
  await server.stop({ keep: failed > 0 });
  if (failed > 0) console.log(`code-server log kept: ${server.logFile}`);
  fs.rmSync(folder, { recursive: true, force: true });
}
console.log(
  `e2e: ${passed} passed, ${failed} failed in ${((Date.now() - t0) / 1000).toFixed(1)} s; screenshots in ${path.relative(REPO, artifacts)}/`,
);
if (process.env.CCF_TEST_TOTALS) {
  fs.appendFileSync(
    process.env.CCF_TEST_TOTALS,
    `${JSON.stringify({ suite: process.env.CCF_TEST_SUITE || 'e2e (browser)', passed, failed })}\n`,
  );
}
process.exit(failed > 0 || passed === 0 ? 1 : 0);
