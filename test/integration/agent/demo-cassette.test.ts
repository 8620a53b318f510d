import * as assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import * as path from 'node:path';
import type { ImplementStep } from '../../../src/core/engine/plan';
import { applyInit } from '../../../src/core/init/apply';
import { planInit } from '../../../src/core/init/plan';
import { PermissionPolicy } from '../../../src/core/policy/policy';
import { readPrp } from '../../../src/core/prp/read-prp';
import { buildReport } from '../../../src/core/report/run-report';
import { Workspace } from '../../../src/core/workspace';
import { createAgentPort } from '../../../src/node/agent-factory';
import { NodeFileSystem } from '../../../src/node/node-file-system';
import { NodeProcessRunner } from '../../../src/node/process-runner';
import { readText, runEngine } from '../../support/agent-harness';
import { DEMO_PRP } from '../../support/demo-replies';
import { FakeClock } from '../../support/fake-clock';
import { REPO_ROOT, removeTempDirs, TEMPLATES, tempDir } from '../../support/temp-project';

const EXAMPLE = path.join(REPO_ROOT, 'examples/demo-project');
const CASSETTE = path.join(EXAMPLE, 'recordings/fix-celsius-to-fahrenheit.cassette.json');

/** The shipped demo cassette still replays on the example project (so `npm run demo` cannot rot silently). */
describe('the bundled demo: examples/demo-project replays its recorded run', function () {
  this.timeout(60_000);
  afterEach(() => removeTempDirs());

  it('replays without a key: the gate fails once, the evidence goes back, the fix passes every level', async () => {
    const root = tempDir('ccf-demo-');
    cpSync(EXAMPLE, root, { recursive: true });
    const fs = new NodeFileSystem();
    const workspace = new Workspace(root, fs);
    await applyInit(
      workspace,
      await planInit(workspace, { templatesRoot: TEMPLATES, tool: { name: 'codex-context-forge', version: 't' } }),
    );
    const prp = await readPrp(workspace, DEMO_PRP);
    assert.ok(prp.value);
    const step: ImplementStep = {
      kind: 'implement',
      id: 'implement',
      name: `/prp-execute ${DEMO_PRP}`,
      command: 'prp-execute',
      argsText: DEMO_PRP,
      prp: DEMO_PRP,
      maxRounds: 3,
      levels: prp.value.validationLevels.map((l) => ({
        kind: 'level',
        id: `implement.L${l.level}`,
        name: `Level ${l.level}: ${l.name}`,
        level: l.level,
        levelName: l.name,
        mandatory: true,
        commands: l.commands.map((c) => ({ command: c.text, line: c.line })),
      })),
    };
    const clock = new FakeClock();
    const created = await createAgentPort({
      provider: 'replay',
      cassette: CASSETTE,
      cwd: root,
      fs,
      runner: new NodeProcessRunner(),
      clock,
      policy: new PermissionPolicy({ root, home: tempDir('ccf-home-'), fs }),
      interactive: false,
      env: { PATH: process.env.PATH ?? '' },
    });
    assert.match(created.cassette?.note ?? '', /not the work of a real model/);
    const { outcome, state } = await runEngine({ root, runtime: created.agent, h: { clock } }, [step]);
    assert.equal(outcome, 'passed');
    assert.match(readText(root, 'src/temperature.js'), /return \(celsius \* 9\) \/ 5 \+ 32;/);
    const report = buildReport(state);
    assert.equal(report.steps.find((s) => s.id === 'implement')!.attempts, 2);
    assert.equal(report.metrics.validationsFailed, 1);
    assert.ok(report.metrics.usage.cacheReadInputTokens > 0);
    assert.ok((report.metrics.usage.costUsd ?? 0) > 0);
    assert.deepEqual(created.unplayed(), []);
  });
});
