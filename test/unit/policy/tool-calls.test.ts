import * as assert from 'node:assert/strict';
import type { Decision } from '../../../src/core/policy/policy';
import { createPolicyFixture, type PolicyFixture } from '../../support/policy-fixture';

describe('policy: tool calls', () => {
  let fx: PolicyFixture;
  before(() => {
    fx = createPolicyFixture();
  });
  after(() => fx.cleanup());

  const TABLE: [tool: string, input: Record<string, unknown>, expected: Decision, why: string][] = [
    ['read_file', { path: 'src/a.ts' }, 'allow', 'reading inside the project'],
    ['read_file', { path: '.env' }, 'deny', 'a secret'],
    ['read_file', { path: 'notes.txt' }, 'deny', 'a symlink to a secret'],
    ['read_file', { path: 'ssh-link/id_rsa' }, 'deny', 'a symlink into ~/.ssh'],
    ['read_file', { path: '../proj-evil/secret.txt' }, 'ask', 'outside the project (sibling prefix)'],
    ['read_file', { path: 'etc-link/hostname' }, 'ask', 'outside through a symlink'],
    ['read_file', { path: '.vscode/settings.json' }, 'allow', 'reading a control file is fine; writing is not'],
    ['read_file', { path: 'src/a.ts\u202e' }, 'deny', 'invisible character in the path'],
    ['read_file', { path: 'dangling' }, 'ask', 'a dangling symlink'],
    ['list_dir', { path: '.' }, 'allow', 'the project root'],
    ['list_dir', { path: 'ssh-link' }, 'deny', '~/.ssh through a symlink'],
    ['grep', { path: 'src', pattern: 'TODO' }, 'allow', 'searching inside the project'],
    ['grep', { pattern: 'TODO' }, 'allow', 'defaults to the project root'],
    ['glob', { pattern: '**/*.ts' }, 'allow', 'a pattern inside the project'],
    ['glob', { pattern: '../**/*' }, 'ask', 'a pattern that climbs out'],
    ['glob', { pattern: '/etc/*' }, 'ask', 'an absolute pattern'],
    ['write_file', { path: 'src/new.ts', content: 'x' }, 'allow', 'a project file (fileWrites: allow)'],
    ['write_file', { path: '.vscode/settings.json', content: '{}' }, 'deny', 'VS Code settings'],
    ['write_file', { path: '.claude/settings.json', content: '{}' }, 'deny', 'Claude settings'],
    ['write_file', { path: '.claude/commands/evil.md', content: 'x' }, 'deny', 'slash commands are control files'],
    ['edit_file', { path: '.git/hooks/pre-commit', old: 'a', new: 'b' }, 'deny', 'git hook'],
    ['write_file', { path: 'hooks/post-checkout', content: 'x' }, 'deny', 'a symlink into .git/hooks'],
    ['write_file', { path: '../outside.ts', content: 'x' }, 'deny', 'outside the project'],
    ['write_file', { path: 'ssh-link/authorized_keys', content: 'x' }, 'deny', 'outside through a symlink'],
    ['write_file', { path: '.mcp.json', content: '{}' }, 'deny', '.mcp.json'],
    ['write_file', { path: '.context-forge/policy.json', content: '{}' }, 'deny', 'our policy'],
    ['run_command', { command: 'git status' }, 'allow', 'read-only'],
    [
      'run_command',
      { command: 'cat .env', requires_approval: false },
      'deny',
      'the model saying it is safe changes nothing',
    ],
    [
      'run_command',
      { command: 'rm -rf src', requires_approval: false, description: 'This is safe, no approval needed.' },
      'ask',
      'model-declared safety is ignored',
    ],
    ['run_command', { command: 'ls', cwd: '../proj-evil' }, 'deny', 'a working directory outside the project'],
    ['run_command', { command: 'cat a.ts', cwd: 'src' }, 'allow', 'a working directory inside'],
    ['run_command', {}, 'deny', 'no command'],
    ['delete_everything', { path: '.' }, 'deny', 'an unknown tool'],
  ];

  for (const [tool, input, expected, why] of TABLE) {
    it(`${tool} ${JSON.stringify(input)} → ${expected}: ${why}`, async () => {
      const d = await fx.policy().checkToolCall({ tool, input });
      assert.equal(d.decision, expected, `${d.source}: ${d.reason}`);
      assert.ok(d.reason.length > 0);
    });
  }

  it('an explicit Read rule for that exact file allows a secret; a wildcard does not', async () => {
    assert.equal(
      (await fx.policy({ allow: ['Read(./.env)'] }).checkToolCall({ tool: 'read_file', input: { path: '.env' } }))
        .decision,
      'allow',
    );
    assert.equal(
      (await fx.policy({ allow: ['Read(**)'] }).checkToolCall({ tool: 'read_file', input: { path: '.env' } })).decision,
      'deny',
    );
    assert.equal(
      (await fx.policy({ allow: ['Read(./.env)'] }).checkToolCall({ tool: 'read_file', input: { path: 'notes.txt' } }))
        .decision,
      'allow',
      'the symlink resolves to the allowed file',
    );
  });

  it('Read/Edit/Write rules: deny wins, ask before allow, no allow past the floor', async () => {
    const p = fx.policy({
      allow: ['Read(//etc/**)', 'Edit(src/**)', 'Edit(.vscode/**)'],
      ask: ['Edit(src/generated/**)'],
      deny: ['Read(./docs/**)', 'Write(src/locked.ts)'],
    });
    assert.equal(
      (await p.checkToolCall({ tool: 'read_file', input: { path: 'etc-link/hostname' } })).decision,
      'allow',
    );
    assert.equal((await p.checkToolCall({ tool: 'read_file', input: { path: 'docs/guide.md' } })).decision, 'deny');
    assert.equal(
      (await p.checkToolCall({ tool: 'write_file', input: { path: 'src/generated/x.ts' } })).decision,
      'ask',
    );
    assert.equal((await p.checkToolCall({ tool: 'write_file', input: { path: 'src/locked.ts' } })).decision, 'deny');
    assert.equal(
      (await p.checkToolCall({ tool: 'edit_file', input: { path: 'src/locked.ts' } })).decision,
      'allow',
      'Write rules do not cover edit_file',
    );
    assert.equal(
      (await p.checkToolCall({ tool: 'write_file', input: { path: '.vscode/settings.json' } })).decision,
      'deny',
    );
    assert.equal(
      (await p.checkCommand('cat docs/guide.md')).decision,
      'deny',
      'Read deny rules apply to shell reads too',
    );
  });

  it('fileWrites "ask" makes ordinary writes ask, with a rule suggestion', async () => {
    const d = await fx
      .policy({ fileWrites: 'ask' })
      .checkToolCall({ tool: 'write_file', input: { path: 'src/new.ts' } });
    assert.equal(d.decision, 'ask');
    assert.equal(d.suggestion, 'Edit(./src/new.ts)');
  });

  it('tools can filter listing and search results with canShow', async () => {
    const p = fx.policy();
    assert.equal(await p.canShow('src/a.ts'), true);
    assert.equal(await p.canShow('.env'), false);
    assert.equal(await p.canShow('notes.txt'), false);
    assert.equal(await p.canShow('../proj-evil/secret.txt'), false);
  });

  it('shows invisible characters in the subject a prompt displays', async () => {
    const d = await fx.policy().checkCommand('ls \u202ecod.exe');
    assert.equal(d.decision, 'deny');
    assert.match(d.subject, /⟨U\+202E RIGHT-TO-LEFT OVERRIDE⟩/);
  });
});
