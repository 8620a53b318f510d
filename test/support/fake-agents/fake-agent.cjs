/**
 * A stand-in for the `claude` and `codex` CLIs in tests: prints the event lines a scenario file scripts, the way
 * the real programs do (one JSON object per line on stdout, diagnostics on stderr), optionally changes files,
 * starts a grandchild, waits, and exits with the scripted code. Every invocation appends
 * `{ program, argv, stdin, cwd }` to `$FAKE_AGENT_LOG`. Invocation n uses `runs[n]` of `$FAKE_AGENT_SCENARIO`
 * (the last run repeats).
 *
 * Scenario: { "runs": [ { "lines": [ <event object> | "<raw text line>" ], "stderr": ["…"], "exit": 0,
 *   "writeFiles": { "<project-relative path>": "<content>" }, "grandchildPidFile": "<abs path>", "sleepMs": 0 } ] }
 */
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

module.exports = function fakeAgent(program) {
  const scenarioFile = process.env.FAKE_AGENT_SCENARIO;
  const logFile = process.env.FAKE_AGENT_LOG;
  let stdin = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => {
    stdin += chunk;
  });
  process.stdin.on('end', () => {
    const counterFile = `${scenarioFile}.${program}.count`;
    const n = fs.existsSync(counterFile) ? Number(fs.readFileSync(counterFile, 'utf8')) : 0;
    fs.writeFileSync(counterFile, String(n + 1));
    if (logFile) {
      fs.appendFileSync(
        logFile,
        `${JSON.stringify({ program, argv: process.argv.slice(2), stdin, cwd: process.cwd() })}\n`,
      );
    }
    const scenario = JSON.parse(fs.readFileSync(scenarioFile, 'utf8'));
    const run = scenario.runs[Math.min(n, scenario.runs.length - 1)];
    for (const [rel, content] of Object.entries(run.writeFiles ?? {})) {
      fs.mkdirSync(path.dirname(path.join(process.cwd(), rel)), { recursive: true });
      fs.writeFileSync(path.join(process.cwd(), rel), content);
    }
    for (const line of run.lines ?? [])
      process.stdout.write(`${typeof line === 'string' ? line : JSON.stringify(line)}\n`);
    for (const line of run.stderr ?? []) process.stderr.write(`${line}\n`);
    if (run.grandchildPidFile) {
      const child = spawn('sleep', ['30'], { stdio: 'ignore' });
      fs.writeFileSync(run.grandchildPidFile, String(child.pid));
    }
    const finish = () => process.stdout.write('', () => process.exit(run.exit ?? 0));
    if (run.sleepMs) setTimeout(finish, run.sleepMs);
    else finish();
  });
};
