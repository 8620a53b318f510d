/**
 * Records the demo's cassette (`examples/demo-project/recordings/fix-celsius-to-fahrenheit.cassette.json`) by
 * really running `/prp-execute` on a copy of the example project: `init`, the agent runtime with the anthropic
 * provider pointed at the fake Messages API (scripted replies from test/support/demo-replies.ts), the permission
 * policy, and the engine running the PRP's real gates with the real process runner. Run after a change that alters
 * the agent's requests (tools, prompts):
 *
 *   npx tsx scripts/record-demo-cassette.ts
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';
import { Engine } from '../src/core/engine/engine';
import { EngineEvents } from '../src/core/engine/engine-events';
import { createGateToolkit } from '../src/core/engine/gate-toolkit';
import type { ImplementStep, LevelStep } from '../src/core/engine/plan';
import { applyInit } from '../src/core/init/apply';
import { planInit } from '../src/core/init/plan';
import { PermissionPolicy } from '../src/core/policy/policy';
import { readPrp } from '../src/core/prp/read-prp';
import { buildReport, renderText } from '../src/core/report/run-report';
import { foldRun } from '../src/core/run/fold';
import { Workspace } from '../src/core/workspace';
import { createAgentPort } from '../src/node/agent-factory';
import { NodeClock } from '../src/node/node-clock';
import { NodeFileSystem } from '../src/node/node-file-system';
import { NodeProcessRunner } from '../src/node/process-runner';
import { DEMO_NOTE, DEMO_PRP, demoReplies } from '../test/support/demo-replies';
import { FakeAnthropic } from '../test/support/fake-anthropic';
import { MemoryJournal } from '../test/support/memory-journal';

const REPO = path.resolve(__dirname, '..');
const EXAMPLE = path.join(REPO, 'examples/demo-project');
const OUT = path.join(EXAMPLE, 'recordings/fix-celsius-to-fahrenheit.cassette.json');

async function main(): Promise<void> {
  const root = mkdtempSync(path.join(tmpdir(), 'ccf-record-demo-'));
  const fake = await FakeAnthropic.start();
  try {
    cpSync(EXAMPLE, root, { recursive: true, filter: (src) => !src.includes(`${path.sep}recordings`) });
    const fs = new NodeFileSystem();
    const workspace = new Workspace(root, fs);
    await applyInit(
      workspace,
      await planInit(workspace, {
        templatesRoot: path.join(REPO, 'templates'),
        tool: { name: 'codex-context-forge', version: 'demo' },
      }),
    );
    const prp = await readPrp(workspace, DEMO_PRP);
    if (!prp.value) throw new Error(prp.problems.map((p) => p.message).join('\n'));
    const levels: LevelStep[] = prp.value.validationLevels.map((l) => ({
      kind: 'level',
      id: `implement.L${l.level}`,
      name: `Level ${l.level}: ${l.name}`,
      level: l.level,
      levelName: l.name,
      mandatory: true,
      commands: l.commands.map((c) => ({ command: c.text, line: c.line })),
      timeoutMs: 120_000,
    }));
    const step: ImplementStep = {
      kind: 'implement',
      id: 'implement',
      name: `/prp-execute ${DEMO_PRP}`,
      command: 'prp-execute',
      argsText: DEMO_PRP,
      prp: DEMO_PRP,
      levels,
      maxRounds: 3,
    };
    fake.enqueue(...demoReplies());
    const clock = new NodeClock();
    const created = await createAgentPort({
      cwd: root,
      fs,
      runner: new NodeProcessRunner(),
      clock,
      policy: new PermissionPolicy({ root, home: homedir(), fs }),
      interactive: false,
      env: { ANTHROPIC_API_KEY: fake.apiKey, ANTHROPIC_BASE_URL: fake.baseURL, PATH: process.env.PATH ?? '' },
      record: OUT,
      recordNote: DEMO_NOTE,
    });
    const journal = new MemoryJournal('record-demo');
    await journal.append({
      type: 'run-started',
      ts: clock.now(),
      runId: journal.runId,
      kind: 'prp',
      target: DEMO_PRP,
      inputHashes: {},
      variables: {},
      plan: [step],
      pid: process.pid,
      host: 'recorder',
    });
    const engine = new Engine({
      root,
      runner: new NodeProcessRunner(),
      clock,
      journal,
      events: new EngineEvents(),
      gates: createGateToolkit({ root, scripts: { test: 'node --test test/temperature.test.js' } }),
      agent: created.agent,
      settings: {
        maxConcurrent: 1,
        stopOnFailure: true,
        onRetry: {},
        autofix: { syntax: true, tests: true, security: false },
        hooks: { onTestFail: [], onDeploy: [] },
        outputTailLines: 40,
      },
      evaluateCondition: () => ({ value: true }),
    });
    const outcome = await engine.run([step], new AbortController().signal);
    const state = foldRun(journal.events);
    if (state) process.stdout.write(renderText(buildReport(state)));
    if (outcome !== 'passed' || fake.pending !== 0)
      throw new Error(`recording failed: ${outcome}, ${fake.pending} replies unused`);
    process.stdout.write(`\nRecorded ${created.recorded()} exchanges to ${path.relative(REPO, OUT)}\n`);
  } finally {
    await fake.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : err}\n`);
  process.exitCode = 1;
});
