/**
 * R2 — the bad-input corpus (`corpus/`), each file fed to the CLI command that reads that kind of file:
 *
 * | folder       | placed at                      | command                              |
 * |--------------|--------------------------------|--------------------------------------|
 * | `workflow/`  | `.claude/orchestration.yaml`   | `orchestrate w --yes`                |
 * | `settings/`  | `.claude/settings.local.json`  | `orchestrate w --yes`                |
 * | `prp/`       | `PRPs/bad.md`                  | `validate PRPs/bad.md --yes`         |
 * | `command/`   | `.claude/commands/bad.md`      | `orchestrate "/bad hello" --yes`     |
 * | `generated/` | a spec: a file over the 2 MB cap, written at run time (not committed) |
 * | `paths/`     | a spec: paths and symlinks out of the project, and the command given them |
 * | `values/`    | a spec: a `--var` value full of shell syntax                          |
 *
 * Every bad file must give `path:line:col: error: …` naming the file, exit code 2, within the time limit, and
 * leave the project byte-identical (hashed before and after; `--yes` means nothing stops the CLI from writing
 * but its own checks). A `values/` case must instead run, deliver the value verbatim and execute none of it.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CORPUS, cliEnv, ensureDir, figure, hashTree, removeScratch, runCli, scratch } from './support';

const TIME_LIMIT_MS = 20_000;
const VALID_WORKFLOW = "workflows:\n  w:\n    steps:\n      - run: 'true'\n";

interface Placed {
  place: string;
  argv: string[];
}

const BY_FOLDER: Record<string, Placed> = {
  workflow: { place: '.claude/orchestration.yaml', argv: ['orchestrate', 'w', '--yes'] },
  settings: { place: '.claude/settings.local.json', argv: ['orchestrate', 'w', '--yes'] },
  prp: { place: 'PRPs/bad.md', argv: ['validate', 'PRPs/bad.md', '--yes'] },
  command: { place: '.claude/commands/bad.md', argv: ['orchestrate', '/bad hello', '--yes'] },
};

interface Spec {
  about: string;
  argv?: string[];
  errorFile?: string;
  symlinks?: Record<string, string>;
  place?: string;
  head?: string;
  pad?: string;
  tail?: string;
  bytes?: number;
  var?: string;
}

function corpusFiles(): string[] {
  const out: string[] = [];
  for (const folder of readdirSync(CORPUS)
    .sort()
    .filter((n) => !n.startsWith('.')))
    for (const name of readdirSync(path.join(CORPUS, folder)).sort()) out.push(`${folder}/${name}`);
  return out;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A project with a valid workflow file and an empty PRPs/, beside an `outside/` folder and a `proj-evil/` sibling. */
function project(): { root: string; outside: string; config: string } {
  const base = scratch('ccf-r2-');
  const root = ensureDir(path.join(base, 'proj'));
  const outside = ensureDir(path.join(base, 'outside'));
  ensureDir(path.join(base, 'proj-evil'));
  writeFileSync(path.join(base, 'proj-evil/secret.md'), '# Sibling secret\n');
  writeFileSync(path.join(outside, 'secret.md'), '# Secret\n\n## Goal\n\nnot yours\n');
  writeFileSync(path.join(outside, 'orchestration.yaml'), 'workflows:\n  w:\n    steps:\n      - run: touch pwned\n');
  writeFileSync(path.join(outside, 'command.md'), '---\ndescription: outside\n---\nDo $ARGUMENTS\n');
  ensureDir(path.join(root, '.claude/commands'));
  ensureDir(path.join(root, 'PRPs'));
  writeFileSync(path.join(root, '.claude/orchestration.yaml'), VALID_WORKFLOW);
  return { root, outside, config: scratch('ccf-r2-config-') };
}

describe('R2 bad-input corpus through the CLI', function () {
  this.timeout(60_000);
  const files = corpusFiles();
  const tally = { refused: 0, values: 0, failed: 0 };

  after(() => {
    removeScratch();
    figure('R2', 'corpus files', files.length);
    figure('R2', 'refused with a positioned error, exit 2, tree unchanged', tally.refused);
    figure('R2', 'shell-syntax values delivered verbatim, nothing executed', tally.values);
  });

  it('holds at least 40 files, every one of them used below', () => {
    assert.ok(files.length >= 40, `only ${files.length} corpus files`);
    for (const f of files) assert.ok(f.split('/')[0]! in BY_FOLDER || /^(generated|paths|values)\//.test(f), f);
  });

  for (const file of files) {
    const [folder] = file.split('/') as [string];
    if (folder === 'values') {
      it(`${file}: the value arrives verbatim and is never executed`, () => {
        const spec = JSON.parse(readFileSync(path.join(CORPUS, file), 'utf8')) as Spec;
        const { root, config } = project();
        writeFileSync(
          path.join(root, '.claude/orchestration.yaml'),
          'workflows:\n  w:\n    variables: { V: {} }\n    steps:\n      - run: printf \'%s\' "$V" > out.txt\n',
        );
        const r = runCli(root, ['orchestrate', 'w', '--var', `V=${spec.var}`, '--yes'], cliEnv(config));
        assert.equal(r.code, 0, r.stderr + r.stdout);
        assert.equal(readFileSync(path.join(root, 'out.txt'), 'utf8'), spec.var);
        const created = readdirSync(root).filter((n) => n.startsWith('pwned'));
        assert.deepEqual(created, [], 'nothing of the value was executed');
        tally.values++;
      });
      continue;
    }
    it(`${file}: positioned error, exit 2, project unchanged`, () => {
      const { root, outside, config } = project();
      let argv: string[];
      let errorFile: string;
      let argumentPath = false;
      if (folder === 'paths' || folder === 'generated') {
        const spec = JSON.parse(readFileSync(path.join(CORPUS, file), 'utf8')) as Spec;
        for (const [link, target] of Object.entries(spec.symlinks ?? {})) {
          const at = path.join(root, link);
          rmSync(at, { recursive: true, force: true });
          ensureDir(path.dirname(at));
          symlinkSync(target.replace('{outside}', outside), at);
        }
        if (spec.place) {
          const head = spec.head ?? '';
          const pad = spec.pad!;
          const times = Math.ceil((spec.bytes! - Buffer.byteLength(head)) / Buffer.byteLength(pad));
          writeFileSync(path.join(root, spec.place), head + pad.repeat(times) + (spec.tail ?? ''));
        }
        argv = spec.argv!;
        errorFile = spec.errorFile ?? spec.place!;
        argumentPath = !spec.place && argv.includes(errorFile);
      } else {
        const placed = BY_FOLDER[folder]!;
        writeFileSync(path.join(root, placed.place), readFileSync(path.join(CORPUS, file)));
        argv = placed.argv;
        errorFile = placed.place;
      }
      const before = hashTree(path.dirname(root));
      const r = runCli(root, argv, cliEnv(config), TIME_LIMIT_MS);
      const out = r.stderr + r.stdout;
      try {
        assert.notEqual(r.signal, 'SIGTERM', `no answer within ${TIME_LIMIT_MS} ms`);
        assert.equal(r.code, 2, `exit ${r.code}\n${out}`);
        if (argumentPath) {
          // A path given on the command line has no line and column: the error names it and says why.
          assert.match(
            out,
            new RegExp(
              `^error: (no PRP "${escapeRegExp(errorFile)}"|.*"${escapeRegExp(errorFile)}".* outside the project)`,
              'm',
            ),
            out,
          );
        } else assert.match(out, new RegExp(`^${escapeRegExp(errorFile)}:\\d+:\\d+: error: \\S`, 'm'), out);
        assert.equal(hashTree(path.dirname(root)), before, 'the project (and its neighbours) changed');
        assert.equal(({} as Record<string, unknown>).polluted, undefined);
        tally.refused++;
      } catch (e) {
        tally.failed++;
        throw e;
      }
    });
  }
});
