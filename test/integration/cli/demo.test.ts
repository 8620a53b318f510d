/** `npm run demo` (scripts/demo.mjs on the built CLI) works with no API key and shows a replayed PRP execution. */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import * as path from 'node:path';

const DEMO = path.resolve(__dirname, '../../../scripts/demo.mjs');

describe('the demo script (dist/cli.js on examples/demo-project, replayed, no key)', function () {
  this.timeout(180_000);

  it('runs init, lint, a failing validate, a replayed run-prp that passes after one fed-back round, and the report', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ANTHROPIC_API_KEY: 'must-not-be-used' };
    const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, [DEMO], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
      });
      child.stderr.on('data', (d) => {
        out += d;
      });
      child.on('close', (c) => resolve({ code: c, out }));
    });
    const dir = /Explore the project and its run journal in (\S+)/.exec(out)?.[1];
    if (dir) rmSync(path.dirname(dir), { recursive: true, force: true });
    assert.equal(code, 0, out);
    assert.match(out, /\/prp-execute <path\/to\/prp\.md>/, 'list shows the slash commands');
    assert.match(out, /fix-celsius-to-fahrenheit {2}PRP: Fix celsiusToFahrenheit · active/, 'and the PRP');
    assert.match(out, /PRPs\/fix-celsius-to-fahrenheit\.md: no problems found/);
    assert.match(out, /Run \S+ \(validate PRPs\/fix-celsius-to-fahrenheit\.md\): FAILED/);
    assert.match(out, /Agent \(REPLAY\): REPLAY of recordings\/fix-celsius-to-fahrenheit\.cassette\.json/);
    assert.match(out, /✗ \/prp-execute PRPs\/fix-celsius-to-fahrenheit\.md .* gate failed in round 1\/3/);
    assert.match(out, /Run \S+ \(prp PRPs\/fix-celsius-to-fahrenheit\.md\): PASSED/);
    assert.match(out, /cache read/);
    assert.match(out, /Moved PRPs\/fix-celsius-to-fahrenheit\.md → PRPs\/completed\/fix-celsius-to-fahrenheit\.md/);
  });
});
