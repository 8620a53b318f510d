import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { PrpLinter } from '../../../src/core/agent/prp-lint';
import { projectLinter } from '../../../src/node/agent-factory';
import { type AgentTestSetup, readText, setupAgent } from '../../support/agent-harness';
import { reply } from '../../support/fake-anthropic';
import { removeTempDirs } from '../../support/temp-project';

type Block = { type: string; text?: string };

/** A complete PRP for a `subtract` helper — except for one placeholder left in its Validation Loop. */
function draftPrp(level1: string): string {
  return `---
name: "Subtract"
description: "A subtract helper next to add and multiply"
---

# PRP: Subtract

## Goal

**Feature Goal**: \`subtract(a, b)\` in src/math.js returns a minus b.

**Deliverable**: A \`subtract\` export in src/math.js and its test.

**Success Definition**: \`npm test\` passes with a new "subtract subtracts" test.

## Why

- Callers compute differences by hand today.

## What

\`subtract(5, 3)\` returns 2; \`add\` and \`multiply\` are unchanged.

### Success Criteria

- [ ] \`subtract(5, 3) === 2\`

## All Needed Context

### Documentation & References

\`\`\`yaml
- file: src/math.js
  why: where the helpers live; follow add and multiply
- file: test/math.test.js
  why: the test pattern to copy
- docfile: PRPs/ai_docs/math-notes.md
  why: conventions for arithmetic helpers
\`\`\`

## Implementation Blueprint

### Implementation Tasks (ordered by dependencies)

\`\`\`yaml
Task 1: MODIFY src/math.js
  - IMPLEMENT: subtract(a, b), exported next to add
Task 2: MODIFY test/math.test.js
  - IMPLEMENT: a "subtract subtracts" test
\`\`\`

## Validation Loop

### Level 1: Syntax & Style

\`\`\`bash
${level1}
\`\`\`

### Level 2: Unit Tests

\`\`\`bash
npm test
\`\`\`

## Final Validation Checklist

- [ ] Both levels pass when the harness runs them

**Confidence Score**: 9/10 — a small helper with a test.
`;
}

describe('agent runtime: /prp-create with lint rounds (fake Messages API)', function () {
  this.timeout(30_000);
  let s: AgentTestSetup;
  let lint: PrpLinter;

  beforeEach(() => {
    // Our real lint — the same as `codex-context-forge lint` — on the project under test.
    lint = (prp, signal) => projectLinter(s.workspace)(prp, signal);
  });
  afterEach(async () => {
    await s?.stop();
    removeTempDirs();
  });

  it('studies the codebase, writes PRPs/<slug>.md from the template, gets the lint findings back and fixes them', async () => {
    s = await setupAgent({ runtime: { lint: (p, sig) => lint(p, sig), settings: { defaultTemplate: 'prp_task' } } });
    s.h.fake.enqueue(
      reply.toolUse('list_dir', { path: 'PRPs/ai_docs' }, { text: 'Looking at the curated docs and the code.' }),
      reply.toolUse('read_file', { path: 'src/math.js' }),
      reply.toolUse('write_file', {
        path: 'PRPs/subtract.md',
        content: draftPrp('[TODO: the commands that lint and type-check this project]'),
      }),
      reply.text('Wrote PRPs/subtract.md.'),
      reply.toolUse('edit_file', {
        path: 'PRPs/subtract.md',
        old_text: '[TODO: the commands that lint and type-check this project]',
        new_text: 'node --check src/math.js',
      }),
      reply.text('Fixed the Validation Loop.'),
    );
    const result = await s.runtime.run(s.request('prp-create', 'subtract "a subtract helper next to add"'));
    assert.equal(result.status, 'completed', result.error);
    const prp = readText(s.root, 'PRPs/subtract.md');
    assert.match(prp, /node --check src\/math\.js/);
    assert.deepEqual(await lint('PRPs/subtract.md'), [], 'the written PRP passes lint');

    const requests = s.h.fake.messageRequests();
    assert.equal(requests.length, 6);
    const first = requests[0]!.body.messages[0]!.content as Block[];
    assert.match(first[0]!.text!, /<prp-template path="PRPs\/templates\/prp_task.md">/);
    assert.match(first[1]!.text!, /PRPs\/subtract\.md/);
    assert.match(first[1]!.text!, /write the PRP to PRPs\/subtract\.md, starting from the template/);
    const findings = requests[4]!.body.messages.at(-1)!.content as Block[];
    assert.match(findings[0]!.text!, /linted PRPs\/subtract\.md \(round 1 of 3\)/);
    assert.match(findings[0]!.text!, /PRPs\/subtract\.md:\d+:\d+: error: .*placeholder/);
    assert.equal(result.usage!.costUsd !== undefined, true);
  });

  it('fails when the PRP still does not lint after three fix rounds', async () => {
    s = await setupAgent({ runtime: { lint: (p, sig) => lint(p, sig) } });
    s.h.fake.enqueue(
      reply.toolUse('write_file', { path: 'PRPs/subtract.md', content: draftPrp('[TODO: lint command]') }),
      reply.text('Done.'),
      reply.text('I think it is fine.'),
      reply.text('Still fine.'),
      reply.text('Really.'),
    );
    const result = await s.runtime.run(s.request('prp-create', 'subtract'));
    assert.equal(result.status, 'failed');
    assert.match(
      result.error ?? '',
      /PRPs\/subtract\.md still fails lint after 3 fix rounds \(2 errors\): .*unfilled placeholder "\[TODO: lint command\]"/,
    );
    assert.equal(s.h.fake.messageRequests().length, 5);
  });

  it('a PRP that was never written is a finding too', async () => {
    s = await setupAgent({ runtime: { lint: (p, sig) => lint(p, sig), lintRounds: 1 } });
    s.h.fake.enqueue(reply.text('Here is the PRP: …'), reply.text('Sorry.'));
    const result = await s.runtime.run(s.request('prp-create', '"Subtract Numbers" with a description'));
    assert.equal(result.status, 'failed');
    assert.match(result.error ?? '', /PRPs\/subtract-numbers\.md does not exist/);
    assert.equal(existsSync(path.join(s.root, 'PRPs/subtract-numbers.md')), false);
  });
});
