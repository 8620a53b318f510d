/** Path containment and classification on a real file system, with real symlinks in a temp directory. */
import * as assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { foldName, PathGuard } from '../../../src/core/policy/paths';
import { NodeFileSystem } from '../../../src/node/node-file-system';
import { createPolicyFixture, type PolicyFixture } from '../../support/policy-fixture';

describe('policy paths (real symlinks)', () => {
  let fx: PolicyFixture;
  let guard: PathGuard;
  before(() => {
    fx = createPolicyFixture();
    mkdirSync(path.join(fx.root, 'sub/.git'), { recursive: true });
    writeFileSync(path.join(fx.root, 'sub/.git/config'), 'x');
    symlinkSync(path.join(fx.home, '.ssh'), path.join(fx.root, 'src/deep-ssh'));
    guard = new PathGuard({ root: fx.root, home: fx.home, fs: new NodeFileSystem(), protectedPaths: [fx.configDir] });
  });
  after(() => fx.cleanup());

  it('resolves inside paths, and refuses .. and sibling-prefix escapes', async () => {
    assert.equal((await guard.resolve('src/a.ts')).inside, true);
    assert.equal((await guard.resolve('src/../README.md')).inside, true);
    assert.equal((await guard.resolve('../proj-evil/secret.txt')).inside, false, 'proj-evil is not inside proj');
    assert.equal((await guard.resolve(fx.sibling)).inside, false);
    assert.equal((await guard.resolve('src/../../home')).inside, false);
    assert.equal((await guard.resolve('does/not/exist/yet.ts')).inside, true, 'new files inside are inside');
  });

  it('follows symlinks: out of the project, into it, and through .. the way the kernel does', async () => {
    const ssh = await guard.resolve('ssh-link/id_rsa');
    assert.equal(ssh.inside, false);
    assert.equal(ssh.real, path.join(fx.home, '.ssh/id_rsa'));
    assert.equal((await guard.resolve('etc-link/hostname')).inside, false);
    assert.equal((await guard.resolve('sibling-link')).inside, false);
    const nested = await guard.resolve('src/deep-ssh/new-key');
    assert.equal(nested.inside, false, 'a file that does not exist yet under a symlink pointing out');
    // `ssh-link/..` is the home directory for the kernel, not the project root.
    const climb = await guard.resolve('ssh-link/../notes.txt');
    assert.equal(climb.real, path.join(fx.home, 'notes.txt'));
    assert.equal(climb.inside, false);
    assert.equal(climb.lexical, path.join(fx.root, 'notes.txt'), 'what a reader of the command would assume');
  });

  it('refuses dangling symlinks and NUL bytes', async () => {
    assert.match((await guard.resolve('dangling')).unresolvable ?? '', /target does not exist/);
    assert.match((await guard.resolve('a\0b')).unresolvable ?? '', /NUL/);
    assert.ok(await guard.protectedWrite(await guard.resolve('dangling')));
  });

  it('protects control surfaces, case-insensitively, also nested, through symlinks and outside', async () => {
    const why = async (p: string) => guard.protectedWrite(await guard.resolve(p));
    for (const p of [
      '.git/hooks/pre-commit',
      '.GIT/hooks/pre-commit',
      '.git./config',
      'sub/.git/config',
      '.vscode/settings.json',
      '.VSCode/tasks.json',
      '.claude/settings.json',
      '.Claude/settings.local.json',
      '.claude/commands/x.md',
      '.mcp.json',
      '.envrc',
      '.idea/workspace.xml',
      '.husky/pre-commit',
      '.devcontainer/devcontainer.json',
      '.context-forge/policy.json',
      'hooks/pre-commit',
      '.bashrc',
      '~/.bashrc'.replace('~', fx.home),
      path.join(fx.configDir, 'approvals.json'),
      '../outside.txt',
      'ssh-link/authorized_keys',
    ]) {
      assert.ok(await why(p), `${p} must be protected`);
    }
    for (const p of [
      'src/a.ts',
      'src/new/file.ts',
      'docs/guide.md',
      '.github/workflows/ci.yml',
      'gitconfig.md',
      '.gitignore',
    ]) {
      assert.equal(await why(p), undefined, `${p} is an ordinary file`);
    }
  });

  it('recognises sensitive files, case-insensitively and through symlinks', async () => {
    const why = async (p: string) => guard.sensitiveRead(await guard.resolve(p));
    for (const p of [
      '.env',
      '.ENV',
      '.env.local',
      '.env.production',
      'notes.txt',
      'certs/server.pem',
      'certs/server.key',
      'deploy/id_ed25519',
      'secrets/token.txt',
      '.git/config',
      '.npmrc',
      'ssh-link/config',
      path.join(fx.home, '.aws/credentials'),
      '/proc/self/environ',
    ]) {
      assert.ok(await why(p), `${p} must be sensitive`);
    }
    for (const p of [
      '.env.example',
      '.env.sample',
      'src/a.ts',
      'deploy/id_ed25519.pub',
      'src/secrets/index.ts',
      'keys.md',
    ]) {
      assert.equal(await why(p), undefined, `${p} is not sensitive`);
    }
  });

  it('knows catastrophic delete targets', async () => {
    const cat = async (p: string, home = false) => guard.isCatastrophicTarget(await guard.resolve(p, { home }));
    assert.equal(await cat('.'), true);
    assert.equal(await cat('..'), true);
    assert.equal(await cat('/'), true);
    assert.equal(await cat('', true), true);
    assert.equal(await cat('src-link/..'), true, 'the project root through a symlink');
    assert.equal(await cat('src'), false);
  });

  it('folds names the way case-insensitive file systems compare them', () => {
    assert.equal(foldName('.GIT'), '.git');
    assert.equal(foldName('.git. '), '.git');
    assert.equal(foldName('..'), '..');
    assert.equal(foldName('Ｃ'.normalize('NFD')), 'ｃ');
  });
});
