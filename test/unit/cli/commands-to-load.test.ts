/**
 * The CLI loads only the invoked command's module (each is its own chunk of dist/cli/): which one is decided from
 * the command line before commander sees it. Help, `help`, an unknown word or no command load them all;
 * `--version` alone loads none.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { COMMAND_NAMES } from '../../../src/cli/commands';
import { buildProgram, commandsToLoad } from '../../../src/cli/main';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

describe('CLI: commands loaded on demand', () => {
  it('picks the command word, skipping options and the value of --cwd', () => {
    assert.deepEqual(commandsToLoad(['list', '--json']), { only: 'list' });
    assert.deepEqual(commandsToLoad(['--cwd', 'list', 'status', '--json']), { only: 'status' });
    assert.deepEqual(commandsToLoad(['--cwd=x', '--no-color', 'run-prp', 'PRPs/a.md']), { only: 'run-prp' });
    assert.deepEqual(commandsToLoad(['policy', 'check', 'ls']), { only: 'policy' });
    assert.deepEqual(commandsToLoad(['list', '--help']), { only: 'list' });
  });

  it('loads every command for help, `help`, an unknown word or nothing; none for --version alone', () => {
    for (const argv of [['--help'], ['-h', 'list'], ['help', 'list'], ['lsit'], [], ['--no-color']])
      assert.deepEqual(commandsToLoad(argv), {}, JSON.stringify(argv));
    assert.deepEqual(commandsToLoad(['--version']), { none: true });
    assert.deepEqual(commandsToLoad(['-V']), { none: true });
    assert.deepEqual(commandsToLoad(['list', '--version']), { only: 'list' });
  });

  it('registers exactly what was asked for', async () => {
    const names = async (argv: string[]) => (await buildProgram(argv)).commands.map((c) => c.name());
    assert.deepEqual(await names(['status']), ['status']);
    assert.deepEqual(await names(['--version']), []);
    assert.deepEqual(await names([]), [...COMMAND_NAMES]);
  });

  it('the built CLI still lists every command in --help and runs one from its own chunk', () => {
    const help = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0, help.stderr);
    for (const name of COMMAND_NAMES.filter((n) => !n.startsWith('__')))
      assert.match(help.stdout, new RegExp(`^  ${name}\\b`, 'm'));
    const version = spawnSync(process.execPath, [CLI, '--version'], { encoding: 'utf8' });
    assert.equal(version.status, 0);
    assert.match(version.stdout, /^\d+\.\d+\.\d+/);
    const bad = spawnSync(process.execPath, [CLI, 'lsit'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown command 'lsit'/);
  });
});
