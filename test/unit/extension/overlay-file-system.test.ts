import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workspace } from '../../../src/core/workspace';
import { OverlayFileSystem } from '../../../src/extension/prp/overlay-file-system';
import { NodeFileSystem } from '../../../src/node/node-file-system';

describe('the overlay file system (lint on unsaved editor text)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ccf-overlay-'));
  const file = path.join(dir, 'a.md');
  writeFileSync(file, 'on disk');
  writeFileSync(path.join(dir, 'b.md'), 'other');
  const fs = new OverlayFileSystem(new NodeFileSystem(), file, 'in the editor ✓');

  it('answers for the edited file with the editor text, for every other file with the disk', async () => {
    assert.equal(new TextDecoder().decode(await fs.readFile(file)), 'in the editor ✓');
    assert.equal((await fs.stat(file))?.size, new TextEncoder().encode('in the editor ✓').length);
    assert.equal(new TextDecoder().decode(await fs.readFile(path.join(dir, 'b.md'))), 'other');
    assert.deepEqual((await fs.readDir(dir)).map((e) => e.name).sort(), ['a.md', 'b.md']);
    const ws = new Workspace(dir, fs);
    assert.equal(await ws.resolveInside('a.md'), file);
  });

  it('never writes', async () => {
    await assert.rejects(fs.writeFileAtomic(file, 'x'), /read-only/);
    await assert.rejects(fs.appendFile(file, 'x'), /read-only/);
    await assert.rejects(fs.remove(file), /read-only/);
    assert.equal(readFileSync(file, 'utf8'), 'on disk');
  });
});
