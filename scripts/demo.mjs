#!/usr/bin/env node
/**
 * `npm run demo`: the built CLI on the bundled example project, in a temporary copy, with no API key.
 *
 *   init → list → lint → validate (fails: the bug is still there) → run-prp as a REPLAY of a recorded run
 *   (the model's answers come from examples/demo-project/recordings/…; the tools, the permission policy and the
 *   gates run for real) → report
 *
 * Each step must end with the exit code it documents; anything else stops the demo with a message.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(repo, 'dist/cli.js');
const example = path.join(repo, 'examples/demo-project');
const prp = 'PRPs/fix-celsius-to-fahrenheit.md';
const cassette = 'recordings/fix-celsius-to-fahrenheit.cassette.json';

if (!existsSync(cli)) {
  console.error('dist/cli.js is missing: run `npm run build` first (npm run demo does).');
  process.exit(2);
}

const base = mkdtempSync(path.join(tmpdir(), 'ccf-demo-'));
const project = path.join(base, 'temperature');
cpSync(example, project, { recursive: true });

// No key, no provider from the environment: the replay needs none. Approvals go to a throwaway config dir.
const env = { ...process.env, CCF_CONFIG_DIR: path.join(base, 'config') };
for (const name of ['ANTHROPIC_API_KEY', 'CLAUDE_API_KEY', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_AUTH_TOKEN'])
  delete env[name];

const bold = (t) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\x1b[1m${t}\x1b[0m` : t);

/** Runs one CLI step; stdout is shown, or captured and returned with `capture`. */
function step(title, args, expected, note, capture = false) {
  console.log(`\n${bold(`━━ ${title}`)}`);
  console.log(`$ codex-context-forge ${args.join(' ')}`);
  if (note) console.log(note);
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd: project,
    env,
    stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
    encoding: 'utf8',
  });
  if (r.status !== expected) {
    console.error(
      `\nThe demo stopped: \`${args[0]}\` exited with ${r.status ?? r.signal}, expected ${expected}. The project is in ${project}`,
    );
    process.exit(1);
  }
  return r.stdout;
}

console.log(bold('Codex Context Forge demo'));
console.log(
  `A copy of examples/demo-project in ${project}: a temperature library whose celsiusToFahrenheit has a bug,`,
);
console.log(`and ${prp}, a PRP whose Validation Loop proves the fix.`);

step('1. Set up the project', ['init'], 0);
step('2. What is there', ['list'], 0);
step('3. Lint the PRP (deterministic, no model)', ['lint', prp], 0);
step(
  '4. Run its gates before any change',
  ['validate', prp, '--yes'],
  1,
  'Expected to fail: the tests fail until celsiusToFahrenheit is fixed.',
);
const result = step(
  '5. Execute the PRP — REPLAY of a recorded run',
  ['run-prp', prp, '--provider', 'replay', '--cassette', cassette, '--yes', '--json'],
  0,
  'REPLAY: the model’s answers come from a recording (no key, no network); the tools, the permission policy and\n' +
    'the gates run for real here. The first fix is wrong, a gate fails, its evidence goes back, the second passes.',
  true,
);
const runId = JSON.parse(result).runs[0].runId;
step('6. The report of that run', ['report', runId], 0);

console.log(`\n${bold('Done.')} Explore the project and its run journal in ${project}`);
console.log('With a key (ANTHROPIC_API_KEY), the same run-prp without --provider replay uses the real model.');
