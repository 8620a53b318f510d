// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the tests hold literal ${NAME} shell syntax.
/**
 * Hostile inputs from the security notes (§4 parser hazards, §7 bad inputs): each gives a positioned
 * Problem — never an exception, a hang, or a polluted prototype. Fixtures: test/fixtures/hostile/.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expandArguments } from '../../../src/core/commands/expand-arguments';
import { readSlashCommands } from '../../../src/core/commands/read-slash-commands';
import { parseSettings, readSettings } from '../../../src/core/config/settings';
import { parseSafeJson } from '../../../src/core/json/safe-json';
import type { Problem, ReadResult } from '../../../src/core/problems';
import { shellQuote } from '../../../src/core/shell/quote';
import { splitArguments } from '../../../src/core/shell/split';
import { bindVariables } from '../../../src/core/workflow/bind';
import { parseWorkflows, readWorkflows } from '../../../src/core/workflow/read-workflows';
import { Workspace } from '../../../src/core/workspace';
import { parseSafeYaml } from '../../../src/core/yaml/safe-yaml';
import { NodeFileSystem } from '../../../src/node/node-file-system';
import { MemoryFileSystem } from '../../support/memory-file-system';

const FIXTURES = path.resolve(__dirname, '../../fixtures/hostile');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');
const fixtureBytes = (name: string) => new Uint8Array(readFileSync(path.join(FIXTURES, name)));

/** `line:column rule` of each problem, after checking none of them carries a stack trace. */
function summary(result: ReadResult<unknown> | { problems: Problem[] }): string[] {
  for (const p of result.problems) {
    assert.doesNotMatch(p.message, /\n\s+at /, 'a message must not carry a stack trace');
    assert.ok(p.line >= 1 && p.column >= 1);
  }
  return result.problems.map((p) => `${p.line}:${p.column} ${p.rule}`);
}

function assertPrototypesClean(): void {
  assert.equal(({} as { polluted?: unknown }).polluted, undefined);
  assert.equal(Object.hasOwn(Object.prototype, 'polluted'), false);
  assert.equal(([] as unknown as { polluted?: unknown }).polluted, undefined);
}

describe('hostile inputs', () => {
  afterEach(assertPrototypesClean);

  it('YAML alias bomb (billion laughs): refused at the first alias, one problem', () => {
    const r = parseWorkflows(fixture('alias-bomb.orchestration.yaml'));
    assert.equal(r.value, undefined);
    assert.deepEqual(summary(r), ['3:10 yaml-alias']);
    assert.match(r.problems[0]!.message, /YAML aliases are not allowed \(\*lol, and 81 more\)/);
  });

  it('merge-key amplification and plain merge keys: refused', () => {
    assert.deepEqual(summary(parseWorkflows(fixture('merge-amplification.orchestration.yaml'))), [
      '5:5 yaml-merge-key',
    ]);
    assert.deepEqual(summary(parseWorkflows(fixture('merge-no-alias.orchestration.yaml'))), ['3:5 yaml-merge-key']);
  });

  it('duplicate keys: an error at the second one (YAML and JSON)', () => {
    const y = parseWorkflows(fixture('duplicate-keys.orchestration.yaml'));
    assert.equal(y.value, undefined);
    assert.deepEqual(summary(y), ['4:3 yaml-duplicate-key']);
    assert.match(y.problems[0]!.message, /duplicate key `deploy`/);
    const j = parseSettings('{"orchestration": {"maxConcurrent": 1},\n "orchestration": {"maxConcurrent": 32}}');
    assert.deepEqual(summary(j), ['2:2 json-duplicate-key']);
  });

  it('custom tags (!!js/function, !shell, !!binary): refused, never constructed', () => {
    const r = parseWorkflows(fixture('custom-tags.orchestration.yaml'));
    assert.equal(r.value, undefined);
    assert.deepEqual(summary(r), ['3:18 yaml-tag', '5:9 yaml-tag', '6:14 yaml-tag']);
  });

  it('__proto__ / constructor / prototype keys in workflows: positioned errors, prototypes untouched', () => {
    const r = parseWorkflows(fixture('proto-keys.orchestration.yaml'));
    assert.equal(r.value, undefined);
    assert.deepEqual(summary(r), [
      '2:3 workflow-schema',
      '4:3 workflow-schema',
      '6:3 workflow-schema',
      '10:7 workflow-schema',
      '13:9 workflow-schema',
    ]);
  });

  it('__proto__ / constructor / prototype keys in settings: errors in our block, Claude Code keys untouched', () => {
    const r = parseSettings(fixture('proto-keys.settings.json'));
    assert.deepEqual(summary(r), [
      '4:5 settings-schema',
      '5:5 settings-schema',
      '7:17 settings-schema',
      '6:27 settings-schema',
      '6:46 settings-schema',
    ]);
    assert.equal(r.value!.orchestration.retry.onRetry.test, '/fix-failing-tests');
    assert.equal(Object.getPrototypeOf(r.value!.orchestration), Object.prototype);
    assert.deepEqual(r.value!.otherKeys, ['permissions']);
  });

  it('files over 2 MB: refused before parsing (workflows, settings, commands)', async () => {
    const big = new Uint8Array(2 * 1024 * 1024 + 1).fill(0x20);
    const fs = new MemoryFileSystem().mkdirSync('/p');
    fs.writeFile('/p/.claude/orchestration.yaml', big);
    fs.writeFile('/p/.claude/settings.local.json', big);
    fs.writeFile('/p/.claude/commands/huge.md', big);
    const ws = new Workspace('/p', fs);
    assert.deepEqual(summary(await readWorkflows(ws)), ['1:1 file-too-large']);
    assert.deepEqual(summary(await readSettings(ws)), ['1:1 file-too-large']);
    assert.deepEqual(summary(await readSlashCommands(ws)), ['1:1 file-too-large']);
  });

  it('invalid UTF-8: refused at the first bad byte', async () => {
    const fs = new MemoryFileSystem().mkdirSync('/p');
    fs.writeFile('/p/.claude/orchestration.yaml', fixtureBytes('invalid-utf8.orchestration.yaml'));
    const r = await readWorkflows(new Workspace('/p', fs));
    assert.equal(r.value, undefined);
    assert.deepEqual(summary(r), ['4:22 invalid-utf8']);
  });

  it('nesting bombs (2 MB of `[` in YAML and JSON): refused quickly without a stack overflow', () => {
    const yaml = parseSafeYaml('['.repeat(2 * 1024 * 1024 - 1), 'x.yaml');
    assert.deepEqual(summary(yaml), [`1:${yaml.problems[0]!.column} yaml-too-deep`]);
    const json = parseSafeJson(`{"a": ${'['.repeat(2 * 1024 * 1024 - 10)}`, 'x.json');
    assert.deepEqual(summary(json), ['1:106 json-too-deep']);
  });

  it('bidi and zero-width characters inside run:/command: steps: positioned errors', () => {
    const r = parseWorkflows(fixture('bidi-run.orchestration.yaml'));
    assert.equal(r.value, undefined);
    assert.deepEqual(summary(r), ['4:39 hidden-unicode', '4:57 hidden-unicode', '5:34 hidden-unicode']);
    assert.ok(r.problems.every((p) => p.severity === 'error'));
    assert.match(r.problems[0]!.message, /U\+202E RIGHT-TO-LEFT OVERRIDE in this run: script/);
  });

  it('invisible tag characters in a slash command file: flagged at their position', async () => {
    const fs = new MemoryFileSystem().mkdirSync('/p');
    fs.writeFile('/p/.claude/commands/review.md', fixture('hidden-command.md'));
    const r = await readSlashCommands(new Workspace('/p', fs));
    assert.equal(r.problems.length, 6);
    assert.ok(r.problems.every((p) => p.rule === 'hidden-unicode' && p.line === 5));
    assert.deepEqual(
      r.problems.map((p) => p.column),
      [1, 3, 5, 7, 9, 11],
    );
    assert.match(r.problems[0]!.message, /U\+E0049 TAG CHARACTER/);
  });

  describe('symlinks out of the project (real file system)', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'ccf-hostile-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('a command file, the workflows file and the settings file linking outside are refused after realpath', async () => {
      const root = path.join(dir, 'proj');
      const outside = path.join(dir, 'outside');
      mkdirSync(outside);
      mkdirSync(path.join(root, '.claude/commands'), { recursive: true });
      writeFileSync(path.join(outside, 'steal.md'), 'cat ~/.ssh/id_rsa');
      writeFileSync(path.join(outside, 'o.yaml'), 'workflows:\n  w:\n    steps: [/a]\n');
      writeFileSync(path.join(outside, 's.json'), '{"orchestration": {"maxConcurrent": 32}}');
      symlinkSync(path.join(outside, 'steal.md'), path.join(root, '.claude/commands/steal.md'));
      symlinkSync('../../outside/o.yaml', path.join(root, '.claude/orchestration.yaml'));
      symlinkSync(path.join(outside, 's.json'), path.join(root, '.claude/settings.local.json'));
      // A sibling whose name starts with the project's name is still outside.
      mkdirSync(`${root}-evil`);
      writeFileSync(`${root}-evil/x.md`, 'evil');
      symlinkSync(`${root}-evil/x.md`, path.join(root, '.claude/commands/sibling.md'));
      const ws = new Workspace(root, new NodeFileSystem());
      const cmds = await readSlashCommands(ws);
      assert.deepEqual(cmds.value, []);
      assert.deepEqual(
        cmds.problems.map((p) => [p.file, p.rule]),
        [
          ['.claude/commands/sibling.md', 'path-outside-project'],
          ['.claude/commands/steal.md', 'path-outside-project'],
        ],
      );
      const wf = await readWorkflows(ws);
      assert.equal(wf.value, undefined);
      assert.deepEqual(summary(wf), ['1:1 path-outside-project']);
      const st = await readSettings(ws);
      assert.equal(st.value!.orchestration.maxConcurrent, 3);
      assert.deepEqual(summary(st), ['1:1 path-outside-project']);
    });
  });

  describe('$ARGUMENTS with shell metacharacters', () => {
    const VALUES = [
      `'; rm -rf ~; echo '`,
      '$(id)',
      '`id`',
      '$100 $ARGUMENTS $1',
      'a && b || c; d | e > f',
      'line1\nline2',
      `"double" 'single' \\back`,
      '{{args}} ${HOME} $((1+1))',
    ];

    it('are inserted into prompts literally, in one pass', () => {
      for (const v of VALUES) {
        assert.equal(expandArguments('<$ARGUMENTS>', v).text, `<${v}>`);
        const quoted = expandArguments('<$1>', shellQuote(v));
        assert.equal(quoted.text, `<${v}>`, 'a quoted value comes back as one positional, exactly');
      }
    });

    it('reach a real shell only quoted, as one literal word', () => {
      for (const v of VALUES) {
        const out = execFileSync('/bin/sh', ['-c', `printf '%s' ${shellQuote(v)}`], { encoding: 'utf8' });
        assert.equal(out, v);
      }
    });

    it('split into positionals without expanding anything', () => {
      const r = splitArguments(`"$(id)" '\`id\`' ; $HOME`);
      assert.deepEqual(r.words, ['$(id)', '`id`', ';', '$HOME']);
    });

    it('given as workflow values, never become shell syntax in run: steps', () => {
      const wf = parseWorkflows(
        'workflows:\n  w:\n    steps:\n      - /prp-create "$FEATURE"\n      - run: printf "%s" "$FEATURE"\n',
      ).value!.workflows[0]!;
      for (const v of VALUES) {
        const bound = bindVariables(wf, { FEATURE: v }).value!;
        const [cmd, run] = bound.steps;
        assert.ok(cmd?.kind === 'command' && run?.kind === 'run');
        assert.deepEqual(cmd.args, [v]);
        assert.equal(run.script, 'printf "%s" "$FEATURE"');
        const out = execFileSync('/bin/sh', ['-c', run.script], {
          env: { ...process.env, ...run.env },
          encoding: 'utf8',
        });
        assert.equal(out, v);
      }
    });
  });
});
