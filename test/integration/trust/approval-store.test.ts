/** The approvals file on a real disk: atomic, private, merged across writers, never inside the project. */
import * as assert from 'node:assert/strict';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InputError } from '../../../src/core/problems';
import { commandHash } from '../../../src/core/trust/command-hash';
import { ensureApproved } from '../../../src/core/trust/ensure-approved';
import { FileApprovalStore } from '../../../src/node/approval-store';
import { userConfigDir } from '../../../src/node/config-dir';
import { NodeFileSystem } from '../../../src/node/node-file-system';

const entry = (command: string) => ({ hash: commandHash(command), command, approvedAt: '2026-01-01T00:00:00.000Z' });

describe('approval store (file)', () => {
  let base: string;
  let project: string;
  let config: string;
  beforeEach(() => {
    base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'ccf-store-')));
    project = path.join(base, 'proj');
    config = path.join(base, 'config', 'codex-context-forge');
    mkdirSync(project, { recursive: true });
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('remembers approvals per project, in a private file written atomically', async () => {
    const store = new FileApprovalStore(path.join(config, 'approvals.json'));
    await store.remember(project, [entry('npm test')]);
    await store.remember(project, [entry('npm run lint')]);
    await store.remember('/elsewhere', [entry('make')]);
    assert.deepEqual(
      [...(await store.approvedHashes(project))].sort(),
      [commandHash('npm run lint'), commandHash('npm test')].sort(),
    );
    assert.deepEqual([...(await store.approvedHashes('/nowhere'))], []);
    const json = JSON.parse(readFileSync(store.file, 'utf8'));
    assert.equal(json.version, 1);
    assert.equal(json.projects[project][commandHash('npm test')].command, 'npm test');
    if (process.platform !== 'win32') {
      assert.equal(statSync(store.file).mode & 0o777, 0o600);
      assert.equal(statSync(config).mode & 0o777, 0o700);
    }
    assert.deepEqual(readdirSync(config), ['approvals.json'], 'no temp or lock file left behind');
  });

  it('merges concurrent writers instead of losing approvals', async () => {
    const file = path.join(config, 'approvals.json');
    const writers = Array.from({ length: 12 }, (_, i) =>
      new FileApprovalStore(file).remember(project, [entry(`cmd ${i}`)]),
    );
    await Promise.all(writers);
    assert.equal((await new FileApprovalStore(file).approvedHashes(project)).size, 12);
  });

  it('breaks a stale lock left by a crashed process', async () => {
    const file = path.join(config, 'approvals.json');
    mkdirSync(config, { recursive: true });
    writeFileSync(`${file}.lock`, '99999');
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${file}.lock`, old, old);
    await new FileApprovalStore(file).remember(project, [entry('npm test')]);
    assert.equal((await new FileApprovalStore(file).approvedHashes(project)).size, 1);
  });

  it('never trusts or writes a store that lives inside the project', async () => {
    const inside = path.join(project, '.ccf', 'approvals.json');
    mkdirSync(path.dirname(inside), { recursive: true });
    writeFileSync(
      inside,
      JSON.stringify({
        version: 1,
        projects: { [project]: { [commandHash('rm -rf ~')]: { command: 'rm -rf ~', approvedAt: 'x' } } },
      }),
    );
    const store = new FileApprovalStore(inside);
    assert.equal((await store.approvedHashes(project)).size, 0, 'a repository cannot ship pre-approved commands');
    await assert.rejects(store.remember(project, [entry('npm test')]), /inside the project/);
    // Also when the config directory reaches into the project through a symlink.
    const link = path.join(base, 'cfg-link');
    symlinkSync(path.join(project, '.ccf'), link);
    assert.equal((await new FileApprovalStore(path.join(link, 'approvals.json')).approvedHashes(project)).size, 0);
  });

  it('a corrupt store is a clear error naming the file and position', async () => {
    const file = path.join(config, 'approvals.json');
    mkdirSync(config, { recursive: true });
    writeFileSync(file, '{\n  "version": 1,\n  "projects": {,}\n}');
    const err = await new FileApprovalStore(file).approvedHashes(project).catch((e) => e);
    assert.ok(err instanceof InputError);
    assert.equal(err.problems[0]?.file, file);
    assert.equal(err.problems[0]?.line, 3);
    assert.match(err.message, /not valid JSON.*delete it/);
    writeFileSync(file, '{"version": 2, "projects": {}}');
    await assert.rejects(new FileApprovalStore(file).approvedHashes(project), /unexpected shape at version/);
  });

  it('end to end: approve always, then a changed command asks again; the project is keyed by its real path', async () => {
    const store = new FileApprovalStore(path.join(config, 'approvals.json'));
    const link = path.join(base, 'proj-link');
    symlinkSync(project, link);
    const fs = new NodeFileSystem();
    const asked: string[][] = [];
    const approvals = {
      ask: async (r: { commands?: readonly string[] }) => {
        asked.push([...(r.commands ?? [])]);
        return 'allow-always' as const;
      },
    };
    const run = (projectRoot: string, commands: string[], interactive = true) =>
      ensureApproved({ projectRoot, commands, interactive, yes: false, store, approvals, fs });
    assert.equal((await run(project, ['npm test'])).by, 'user-always');
    assert.equal((await run(link, ['npm test'], false)).by, 'store', 'same project through a symlink');
    const changed = await run(link, ['npm test -- --bail'], false);
    assert.deepEqual([changed.approved, changed.pending], [false, ['npm test -- --bail']]);
    assert.deepEqual(asked, [['npm test']]);
  });

  it('lives in the user config directory: CCF_CONFIG_DIR, XDG_CONFIG_HOME, APPDATA, ~/.config', () => {
    assert.equal(userConfigDir({ CCF_CONFIG_DIR: '/x/y' }, 'linux', '/home/u'), '/x/y');
    assert.equal(userConfigDir({ XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/u'), '/xdg/codex-context-forge');
    assert.equal(
      userConfigDir({ XDG_CONFIG_HOME: 'relative' }, 'linux', '/home/u'),
      '/home/u/.config/codex-context-forge',
    );
    assert.equal(userConfigDir({}, 'darwin', '/Users/u'), '/Users/u/.config/codex-context-forge');
    assert.equal(
      userConfigDir({ APPDATA: '/appdata' }, 'win32', '/home/u'),
      path.join('/appdata', 'codex-context-forge'),
    );
  });
});
