/**
 * The CLI side of the policy and of project trust, through the built `dist/cli.js` and in process: rule sources
 * (user settings, project settings, flags), positioned errors, exit codes, and the no-terminal refusal.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createContext } from '../../../src/cli/context';
import { CliError } from '../../../src/cli/errors';
import { createOutput } from '../../../src/cli/output';
import { loadPolicy } from '../../../src/cli/policy-setup';
import { requireProjectApproval } from '../../../src/cli/project-trust';
import { InputError } from '../../../src/core/problems';
import { FileApprovalStore } from '../../../src/node/approval-store';
import { createPolicyFixture, type PolicyFixture } from '../../support/policy-fixture';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

describe('CLI: policy check and project trust', () => {
  let fx: PolicyFixture;
  let config: string;
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [CLI, '--cwd', fx.root, '--no-color', ...args], {
      encoding: 'utf8',
      env: { ...process.env, CCF_CONFIG_DIR: config, HOME: fx.home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const settings = (file: string, permissions: unknown) => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify({ permissions }, null, 2)}\n`);
  };

  beforeEach(() => {
    fx = createPolicyFixture();
    config = path.join(fx.base, 'ccf-config');
  });
  afterEach(() => fx.cleanup());

  it('exits 0 when allowed, 1 when it would ask or refuse, and explains why', () => {
    const ok = cli(['policy', 'check', 'git status && ls src']);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /^allow {2}git status && ls src/);
    const refused = cli(['policy', 'check', 'cat .env']);
    assert.equal(refused.status, 1);
    assert.match(refused.stdout, /deny {2}cat \.env\n {2}reading "\.env" is an environment file/);
    const ask = cli(['policy', 'check', 'npm install']);
    assert.equal(ask.status, 1);
    assert.match(ask.stdout, /to allow without asking: --allow 'Bash\(npm install\)'/);
    const allowed = cli(['policy', 'check', 'npm install', '--allow', 'Bash(npm install)']);
    assert.equal(allowed.status, 0, allowed.stdout);
    const write = cli(['policy', 'check', '--write', '.vscode/settings.json', '--json']);
    assert.equal(write.status, 1);
    assert.equal(JSON.parse(write.stdout).decision, 'deny');
  });

  it('reads user-level rules from the config directory and project deny rules; ignores project allow rules', () => {
    settings(path.join(config, 'settings.json'), { allow: ['Bash(make build)'] });
    settings(path.join(fx.root, '.claude/settings.json'), { allow: ['Bash'], deny: ['Bash(git log:*)'] });
    const user = cli(['policy', 'check', 'make build']);
    assert.equal(user.status, 0, user.stdout + user.stderr);
    const denied = cli(['policy', 'check', '--json', 'git log']);
    assert.equal(JSON.parse(denied.stdout).decision, 'deny');
    assert.equal(JSON.parse(denied.stdout).rule.location.file, '.claude/settings.json');
    const widened = cli(['policy', 'check', 'npm publish']);
    assert.equal(widened.status, 1, 'the project cannot allow everything for itself');
    assert.match(widened.stderr, /ignoring 1 allow rule\(s\) from the project settings until you approve them.*Bash/);
  });

  it('invalid rules are exit 2 with the file, line and column', () => {
    settings(path.join(fx.root, '.claude/settings.local.json'), { deny: ['Bash(rm -rf'] });
    const r = cli(['policy', 'check', 'ls']);
    assert.equal(r.status, 2);
    assert.match(
      r.stderr,
      /^\.claude\/settings\.local\.json:4:19: error: invalid deny rule "Bash\(rm -rf": missing "\)"/m,
    );
    const flag = cli(['policy', 'check', 'ls', '--deny', 'Shell(x)']);
    assert.equal(flag.status, 2);
    assert.match(flag.stderr, /--deny:1:1: error: invalid rule "Shell\(x\)": unknown tool "Shell"/);
  });

  it('project allow rules count once the user approved that exact list', async () => {
    settings(path.join(fx.root, '.claude/settings.json'), { allow: ['Bash(npm publish)'] });
    const store = new FileApprovalStore(path.join(config, 'approvals.json'));
    const ctx = { ...createContext(fx.root, createOutput(false), new AbortController().signal), interactive: true };
    const asked: unknown[] = [];
    const approvals = {
      ask: async (r: unknown) => {
        asked.push(r);
        return 'allow-always' as const;
      },
    };
    const first = await loadPolicy(ctx, {}, { store, approvals, configDir: config, home: fx.home });
    assert.equal((await first.policy.checkCommand('npm publish')).decision, 'allow');
    assert.equal(asked.length, 1);
    const later = await loadPolicy({ ...ctx, interactive: false }, {}, { store, configDir: config, home: fx.home });
    assert.equal((await later.policy.checkCommand('npm publish')).decision, 'allow', 'remembered');
    settings(path.join(fx.root, '.claude/settings.json'), { allow: ['Bash(npm publish)', 'Bash'] });
    const changed = await loadPolicy({ ...ctx, interactive: false }, {}, { store, configDir: config, home: fx.home });
    assert.equal((await changed.policy.checkCommand('npm publish')).decision, 'ask', 'a changed list asks again');
    assert.match(changed.warnings.join('\n'), /ignoring 2 allow rule/);
  });

  it('loadPolicy reports invalid project settings as an InputError', async () => {
    writeFileSync(path.join(fx.root, '.claude/settings.json'), '{ "permissions": { "deny": ["Bash(x"] } }');
    const ctx = createContext(fx.root, createOutput(false), new AbortController().signal);
    await assert.rejects(
      loadPolicy(ctx, {}, { configDir: config, home: fx.home }),
      (e: unknown) => e instanceof InputError,
    );
  });

  it('project commands: no terminal and no --yes is exit 2 with the list and how to approve; --yes runs them', async () => {
    const store = new FileApprovalStore(path.join(config, 'approvals.json'));
    const ctx = { ...createContext(fx.root, createOutput(false), new AbortController().signal), interactive: false };
    const err = await requireProjectApproval(ctx, ['npm test', 'npm run lint'], { yes: false, store }).catch((e) => e);
    assert.ok(err instanceof CliError);
    assert.equal(err.exitCode, 2);
    assert.match(err.message, /2 project commands have not been approved on this machine/);
    assert.match(err.message, /1\. npm test\n\s+2\. npm run lint/);
    assert.match(err.message, /--yes/);
    const yes = await requireProjectApproval(ctx, ['npm test', 'npm run lint'], { yes: true, store });
    assert.equal(yes.by, 'yes');
    assert.equal((await store.approvedHashes(fx.root)).size, 0, '--yes is not remembered');
  });
});
