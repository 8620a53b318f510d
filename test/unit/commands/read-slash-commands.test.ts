import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expandArguments } from '../../../src/core/commands/expand-arguments';
import { readSlashCommands } from '../../../src/core/commands/read-slash-commands';
import { Workspace } from '../../../src/core/workspace';
import { NodeFileSystem } from '../../../src/node/node-file-system';
import { MemoryFileSystem } from '../../support/memory-file-system';

const ROOT = '/proj';

function project(files: Record<string, string>): { fs: MemoryFileSystem; ws: Workspace } {
  const fs = new MemoryFileSystem();
  fs.mkdirSync(ROOT);
  for (const [p, text] of Object.entries(files)) fs.writeFile(path.posix.join(ROOT, p), text);
  return { fs, ws: new Workspace(ROOT, fs) };
}

describe('readSlashCommands', () => {
  it('returns no commands and no problems when .claude/commands does not exist', async () => {
    const { ws } = project({ 'README.md': '# x' });
    assert.deepEqual(await readSlashCommands(ws), { value: [], problems: [] });
  });

  it('names commands by path (subfolders joined with :) and reads frontmatter and body', async () => {
    const { ws } = project({
      '.claude/commands/prp-create.md':
        '---\ndescription: Create a PRP\nargument-hint: "[feature]"\nallowed-tools: Bash(git add:*), Read, Grep\nmodel: sonnet\ncustom-key: kept\n---\n# Create\nResearch $ARGUMENTS.\n',
      '.claude/commands/frontend/component.md': 'Build a component named $1.\n',
      '.claude/commands/a/b/c.md': 'deep',
      '.claude/commands/notes.txt': 'ignored',
      '.claude/commands/README': 'ignored',
    });
    const r = await readSlashCommands(ws);
    assert.deepEqual(r.problems, []);
    const cmds = r.value!;
    assert.deepEqual(
      cmds.map((c) => [c.name, c.file]),
      [
        ['a:b:c', '.claude/commands/a/b/c.md'],
        ['frontend:component', '.claude/commands/frontend/component.md'],
        ['prp-create', '.claude/commands/prp-create.md'],
      ],
    );
    const prp = cmds[2]!;
    assert.equal(prp.description, 'Create a PRP');
    assert.equal(prp.argumentHint, '[feature]');
    assert.deepEqual(prp.allowedTools, ['Bash(git add:*)', 'Read', 'Grep']);
    assert.equal(prp.model, 'sonnet');
    assert.equal(prp.frontmatter['custom-key'], 'kept');
    assert.equal(prp.body, '# Create\nResearch $ARGUMENTS.\n');
    assert.equal(prp.bodyLine, 8);
    assert.equal(prp.usesArguments, true);
    const comp = cmds[1]!;
    assert.equal(comp.description, undefined);
    assert.equal(comp.bodyLine, 1);
    assert.equal(expandArguments(comp.body, 'Button').text, 'Build a component named Button.\n');
  });

  it('accepts allowed-tools as a list and an argument-hint written as a YAML list or unquoted brackets', async () => {
    const { ws } = project({
      '.claude/commands/a.md': '---\nallowed-tools: [Read, "Bash(npm test:*)"]\nargument-hint: [message]\n---\nx',
      '.claude/commands/b.md': '---\nargument-hint: [pr-number] [priority]\n---\nx',
    });
    const r = await readSlashCommands(ws);
    const [a, b] = r.value!;
    assert.deepEqual(a!.allowedTools, ['Read', 'Bash(npm test:*)']);
    assert.equal(a!.argumentHint, '[message]');
    assert.equal(b!.argumentHint, '[pr-number] [priority]');
    assert.deepEqual(
      r.problems.map((p) => [p.file, p.line, p.rule, p.severity]),
      [['.claude/commands/b.md', 2, 'frontmatter-unquoted-value', 'warning']],
    );
  });

  it('reports frontmatter of the wrong type at its position and still reads the command', async () => {
    const { ws } = project({
      '.claude/commands/x.md': '---\ndescription: ok\nmodel: [a, b]\nallowed-tools: 5\n---\nbody',
    });
    const r = await readSlashCommands(ws);
    assert.equal(r.value!.length, 1);
    assert.equal(r.value![0]!.description, 'ok');
    assert.equal(r.value![0]!.model, undefined);
    assert.deepEqual(r.problems.map((p) => [p.line, p.column, p.rule]).sort(), [
      [3, 8, 'command-frontmatter'],
      [4, 16, 'command-frontmatter'],
    ]);
    assert.match(
      r.problems.find((p) => p.line === 4)!.message,
      /^allowed-tools: must be a comma-separated string or a list/,
    );
    assert.match(r.problems.find((p) => p.line === 3)!.message, /^model must be a string, not a list$/);
  });

  it('reports a command whose frontmatter is not valid YAML and keeps the body', async () => {
    const { ws } = project({ '.claude/commands/x.md': '---\na: *ref\n---\nbody' });
    const r = await readSlashCommands(ws);
    assert.equal(r.value![0]!.body, 'body');
    assert.deepEqual(
      r.problems.map((p) => [p.line, p.rule]),
      [[2, 'yaml-alias']],
    );
  });

  it('reports invalid UTF-8 and oversize files and skips them', async () => {
    const { fs, ws } = project({ '.claude/commands/ok.md': 'fine' });
    fs.writeFile(`${ROOT}/.claude/commands/bad.md`, new Uint8Array([0x68, 0x69, 0x0a, 0xc0, 0xaf]));
    fs.writeFile(`${ROOT}/.claude/commands/big.md`, new Uint8Array(2 * 1024 * 1024 + 10).fill(0x61));
    const r = await readSlashCommands(ws);
    assert.deepEqual(
      r.value!.map((c) => c.name),
      ['ok'],
    );
    assert.deepEqual(
      r.problems.map((p) => [p.file, p.line, p.column, p.rule]),
      [
        ['.claude/commands/bad.md', 2, 1, 'invalid-utf8'],
        ['.claude/commands/big.md', 1, 1, 'file-too-large'],
      ],
    );
  });

  it('flags invisible characters in a command file as warnings at their position', async () => {
    const { ws } = project({ '.claude/commands/x.md': 'Run tests\nthen \u202edelete\u202c all\n' });
    const r = await readSlashCommands(ws);
    assert.deepEqual(
      r.problems.map((p) => [p.line, p.column, p.rule, p.severity]),
      [
        [2, 6, 'hidden-unicode', 'warning'],
        [2, 13, 'hidden-unicode', 'warning'],
      ],
    );
    assert.match(r.problems[0]!.message, /U\+202E RIGHT-TO-LEFT OVERRIDE/);
  });

  it('follows symlinks inside the project, skips and reports ones that resolve outside', async () => {
    const { fs, ws } = project({
      'shared/commands/common.md': 'shared body',
      '.claude/commands/own.md': 'own',
    });
    fs.writeFile('/etc/secret.md', 'secret');
    fs.mkdirSync('/outside/dir');
    fs.writeFile('/outside/dir/evil.md', 'evil');
    fs.symlink('../../shared/commands', `${ROOT}/.claude/commands/shared`);
    fs.symlink('/etc/secret.md', `${ROOT}/.claude/commands/leak.md`);
    fs.symlink('../../../outside/dir', `${ROOT}/.claude/commands/out`);
    fs.symlink('nowhere.md', `${ROOT}/.claude/commands/dangling.md`);
    const r = await readSlashCommands(ws);
    assert.deepEqual(
      r.value!.map((c) => [c.name, c.body]),
      [
        ['own', 'own'],
        ['shared:common', 'shared body'],
      ],
    );
    const byFile = Object.fromEntries(r.problems.map((p) => [p.file, p.rule]));
    assert.deepEqual(byFile, {
      '.claude/commands/leak.md': 'path-outside-project',
      '.claude/commands/out': 'path-outside-project',
      '.claude/commands/dangling.md': 'broken-symlink',
    });
    assert.match(r.problems.find((p) => p.file.endsWith('leak.md'))!.message, /resolves outside the project/);
  });

  it('refuses .claude/commands itself when it points outside the project', async () => {
    const { fs, ws } = project({});
    fs.writeFile('/elsewhere/cmds/x.md', 'x');
    fs.mkdirSync(`${ROOT}/.claude`);
    fs.symlink('/elsewhere/cmds', `${ROOT}/.claude/commands`);
    const r = await readSlashCommands(ws);
    assert.deepEqual(r.value, []);
    assert.deepEqual(
      r.problems.map((p) => [p.file, p.rule]),
      [['.claude/commands', 'path-outside-project']],
    );
  });

  it('does not loop on a symlink cycle', async () => {
    const { fs, ws } = project({ '.claude/commands/a/x.md': 'x' });
    fs.symlink('..', `${ROOT}/.claude/commands/a/loop`);
    const r = await readSlashCommands(ws);
    assert.deepEqual(
      r.value!.map((c) => c.name),
      ['a:x'],
    );
  });

  it('reports two files that give the same command name', async () => {
    const { ws } = project({ '.claude/commands/a/b.md': '1', '.claude/commands/a:b.md': '2' });
    const r = await readSlashCommands(ws);
    assert.equal(r.value!.length, 1);
    assert.deepEqual(
      r.problems.map((p) => p.rule),
      ['command-duplicate'],
    );
  });

  it('warns about a file name that cannot be typed as a command', async () => {
    const { ws } = project({ '.claude/commands/my command.md': 'x' });
    const r = await readSlashCommands(ws);
    assert.equal(r.value![0]!.name, 'my command');
    assert.deepEqual(
      r.problems.map((p) => [p.rule, p.severity]),
      [['command-name', 'warning']],
    );
  });

  describe('on a real file system', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'ccf-cmds-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('skips a command file that is a symlink out of the project (after realpath)', async () => {
      const root = path.join(dir, 'proj');
      const outside = path.join(dir, 'outside.md');
      writeFileSync(outside, 'outside');
      mkdirSync(path.join(root, '.claude/commands/sub'), { recursive: true });
      writeFileSync(path.join(root, '.claude/commands/sub/in.md'), '---\ndescription: inside\n---\nin');
      symlinkSync(outside, path.join(root, '.claude/commands/escape.md'));
      symlinkSync(path.join(root, '.claude/commands/sub/in.md'), path.join(root, '.claude/commands/alias.md'));
      const r = await readSlashCommands(new Workspace(root, new NodeFileSystem()));
      assert.deepEqual(
        r.value!.map((c) => [c.name, c.description]),
        [
          ['alias', 'inside'],
          ['sub:in', 'inside'],
        ],
      );
      assert.deepEqual(
        r.problems.map((p) => [p.file, p.line, p.column, p.rule]),
        [['.claude/commands/escape.md', 1, 1, 'path-outside-project']],
      );
    });
  });
});
