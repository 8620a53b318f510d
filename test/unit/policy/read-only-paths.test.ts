import * as assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createPolicyFixture, type PolicyFixture } from '../../support/policy-fixture';

describe('policy: per-run read-only paths (withReadOnlyPaths)', () => {
  let f: PolicyFixture;
  beforeEach(() => {
    f = createPolicyFixture();
    mkdirSync(path.join(f.root, 'PRPs'), { recursive: true });
    writeFileSync(path.join(f.root, 'PRPs/feature.md'), '# PRP\n');
    symlinkSync(path.join(f.root, 'PRPs/feature.md'), path.join(f.root, 'prp-link.md'));
  });
  afterEach(() => f.cleanup());

  const readOnly = () =>
    f
      .policy({ allow: ['Bash(sed:*)', 'Bash(cp:*)'] })
      .withReadOnlyPaths([{ path: path.join(f.root, 'PRPs/feature.md'), reason: 'it is the PRP being executed' }]);

  it('refuses writes by tools, through links and `..`, and by shell commands; reading stays allowed', async () => {
    const p = readOnly();
    for (const call of [
      { tool: 'write_file', input: { path: 'PRPs/feature.md', content: 'x' } },
      { tool: 'edit_file', input: { path: './src/../PRPs/feature.md', old_text: 'a', new_text: 'b' } },
      { tool: 'write_file', input: { path: 'prp-link.md', content: 'x' } },
      { tool: 'run_command', input: { command: "sed -i 's/a/b/' PRPs/feature.md" } },
      { tool: 'run_command', input: { command: 'cp README.md PRPs/feature.md' } },
      { tool: 'run_command', input: { command: 'echo x > PRPs/feature.md' } },
    ]) {
      const d = await p.checkToolCall(call);
      assert.equal(d.decision, 'deny', JSON.stringify(call));
      assert.match(d.reason, /read-only: it is the PRP being executed/);
    }
    assert.equal((await p.checkToolCall({ tool: 'read_file', input: { path: 'PRPs/feature.md' } })).decision, 'allow');
    assert.equal((await p.checkCommand('cat PRPs/feature.md')).decision, 'allow');
  });

  it('leaves the original policy and other files alone', async () => {
    const base = f.policy();
    readOnly();
    assert.equal((await base.checkWrite('PRPs/feature.md')).decision, 'allow');
    assert.equal((await readOnly().checkWrite('PRPs/other.md')).decision, 'allow');
  });
});
