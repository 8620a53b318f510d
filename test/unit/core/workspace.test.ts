import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PathEscapeError, Workspace } from '../../../src/core/workspace';
import { NodeFileSystem } from '../../../src/node/node-file-system';

describe('Workspace.resolveInside (real symlinks)', () => {
  let base: string;
  let root: string;
  let outside: string;
  let ws: Workspace;
  before(() => {
    base = realpathSync(mkdtempSync(path.join(tmpdir(), 'ccf-ws-')));
    root = path.join(base, 'proj');
    outside = path.join(base, 'elsewhere');
    mkdirSync(path.join(root, 'src'), { recursive: true });
    mkdirSync(outside);
    mkdirSync(path.join(base, 'proj-evil'));
    writeFileSync(path.join(outside, 'secret'), 's');
    symlinkSync(outside, path.join(root, 'dirlink'));
    symlinkSync(path.join(outside, 'not-yet'), path.join(root, 'dangling'));
    symlinkSync(path.join(root, 'src'), path.join(root, 'inner'));
    ws = new Workspace(root, new NodeFileSystem());
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  const refused = async (p: string, why: RegExp) => {
    await assert.rejects(ws.resolveInside(p), (e: unknown) => e instanceof PathEscapeError && why.test(e.message));
  };

  it('accepts ordinary and not-yet-existing paths inside, and links that stay inside', async () => {
    assert.equal(await ws.resolveInside('src/a.ts'), path.join(root, 'src/a.ts'));
    assert.equal(await ws.resolveInside('new/dir/file.md'), path.join(root, 'new/dir/file.md'));
    assert.equal(await ws.resolveInside('inner/x.ts'), path.join(root, 'inner/x.ts'));
  });

  it('refuses .., absolute paths, sibling prefixes and NUL', async () => {
    await refused('../elsewhere/secret', /outside the project/);
    await refused(path.join(outside, 'secret'), /outside the project/);
    await refused('../proj-evil/x', /outside the project/);
    await refused('a\0b', /NUL/);
  });

  it('refuses symlinks out, including link/.. (the kernel climbs from the real target) and dangling links', async () => {
    await refused('dirlink/secret', /through a symlink/);
    await refused('dirlink/new-file', /through a symlink/);
    await refused('dirlink/../x', /through a symlink/);
    await refused('dangling', /target does not exist/);
  });
});
