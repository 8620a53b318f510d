import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listPrps } from '../../../src/core/prp';
import { Workspace } from '../../../src/core/workspace';
import { NodeFileSystem } from '../../../src/node/node-file-system';

describe('listPrps', () => {
  let base: string;
  let root: string;

  function write(rel: string, content: string | Buffer): void {
    const abs = path.join(root, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }

  beforeEach(() => {
    base = mkdtempSync(path.join(os.tmpdir(), 'ccf-list-'));
    root = path.join(base, 'project');
    mkdirSync(root);
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('lists active, completed, template and ai_doc PRPs with name, file, title and status', async () => {
    write('PRPs/user-export.md', '# PRP: CSV export of users\n');
    write('PRPs/billing/invoices.md', 'name: "Invoice PDFs"\ndescription: |\n\n---\n## Goal\n');
    write('PRPs/completed/dark-mode.md', '---\nname: Dark mode\n---\n\n## Goal\n');
    write('PRPs/templates/prp_base.md', 'name: "Base PRP Template v3"\n');
    write('PRPs/ai_docs/queue.md', '## Queue semantics\n');
    write('PRPs/ai_docs/nested/deep.md', 'no heading at all\n');
    write('PRPs/notes.txt', 'not markdown');
    write('PRPs/.draft.md', '# hidden');
    write('README.md', '# not under PRPs');

    const r = await listPrps(new Workspace(root, new NodeFileSystem()));
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.value, {
      prps: [
        { name: 'billing/invoices', file: 'PRPs/billing/invoices.md', title: 'Invoice PDFs', status: 'active' },
        { name: 'completed/dark-mode', file: 'PRPs/completed/dark-mode.md', title: 'Dark mode', status: 'completed' },
        { name: 'user-export', file: 'PRPs/user-export.md', title: 'PRP: CSV export of users', status: 'active' },
      ],
      templates: [
        {
          name: 'templates/prp_base',
          file: 'PRPs/templates/prp_base.md',
          title: 'Base PRP Template v3',
          status: 'template',
        },
      ],
      aiDocs: [
        {
          name: 'ai_docs/nested/deep',
          file: 'PRPs/ai_docs/nested/deep.md',
          title: 'ai_docs/nested/deep',
          status: 'ai_doc',
        },
        { name: 'ai_docs/queue', file: 'PRPs/ai_docs/queue.md', title: 'Queue semantics', status: 'ai_doc' },
      ],
    });
  });

  it('gives an empty listing when there is no PRPs folder', async () => {
    const r = await listPrps(new Workspace(root, new NodeFileSystem()));
    assert.deepEqual(r, { value: { prps: [], templates: [], aiDocs: [] }, problems: [] });
  });

  it('skips symlinks that resolve outside the project, with a warning; follows those inside', async () => {
    write('PRPs/a.md', '# A');
    write('docs/shared.md', '# Shared inside the project');
    writeFileSync(path.join(base, 'secret.md'), '# Outside');
    mkdirSync(path.join(base, 'elsewhere'));
    writeFileSync(path.join(base, 'elsewhere', 'x.md'), '# X');
    symlinkSync(path.join(base, 'secret.md'), path.join(root, 'PRPs/leak.md'));
    symlinkSync(path.join(base, 'elsewhere'), path.join(root, 'PRPs/outdir'));
    symlinkSync('../docs/shared.md', path.join(root, 'PRPs/shared.md'));
    symlinkSync(path.join(root, 'PRPs/missing.md'), path.join(root, 'PRPs/dangling.md'));

    const r = await listPrps(new Workspace(root, new NodeFileSystem()));
    assert.deepEqual(
      r.value?.prps.map((p) => [p.name, p.title]),
      [
        ['a', 'A'],
        ['shared', 'Shared inside the project'],
      ],
    );
    assert.deepEqual(
      r.problems.map((p) => [p.file, p.rule, p.severity]),
      [
        ['PRPs/dangling.md', 'prp-unreadable', 'warning'],
        ['PRPs/leak.md', 'path-outside-project', 'warning'],
        ['PRPs/outdir', 'path-outside-project', 'warning'],
      ],
    );
  });

  it('refuses a PRPs folder that is itself a symlink out of the project', async () => {
    mkdirSync(path.join(base, 'other-prps'));
    writeFileSync(path.join(base, 'other-prps', 'x.md'), '# X');
    symlinkSync(path.join(base, 'other-prps'), path.join(root, 'PRPs'));
    const r = await listPrps(new Workspace(root, new NodeFileSystem()));
    assert.deepEqual(r.value?.prps, []);
    assert.deepEqual(
      r.problems.map((p) => [p.file, p.rule]),
      [['PRPs', 'path-outside-project']],
    );
  });

  it('does not follow a symlink back to PRPs/ or its parents, and walks any other loop once', async () => {
    write('PRPs/a.md', '# A');
    write('README.md', '# Readme');
    write('PRPs/sub/b.md', '# B');
    symlinkSync('..', path.join(root, 'PRPs/loop'));
    symlinkSync('.', path.join(root, 'PRPs/self'));
    symlinkSync('..', path.join(root, 'PRPs/sub/up'));
    const r = await listPrps(new Workspace(root, new NodeFileSystem()));
    assert.deepEqual(
      r.value?.prps.map((p) => p.name),
      ['a', 'sub/b'],
    );
    assert.deepEqual(r.problems, []);
  });

  it('lists an unreadable PRP under its name, with the problem', async () => {
    write('PRPs/broken.md', Buffer.from([0x23, 0x20, 0xc3, 0x28, 0x0a]));
    const r = await listPrps(new Workspace(root, new NodeFileSystem()));
    assert.deepEqual(r.value?.prps, [{ name: 'broken', file: 'PRPs/broken.md', title: 'broken', status: 'active' }]);
    assert.deepEqual(
      r.problems.map((p) => [p.file, p.line, p.column, p.rule]),
      [['PRPs/broken.md', 1, 3, 'invalid-utf8']],
    );
  });
});
