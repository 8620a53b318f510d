import * as assert from 'node:assert/strict';
import { commandFacts } from '../../../src/core/policy/commands';
import {
  analyzeShell,
  describeSegments,
  MAX_ANALYSED_SEGMENTS,
  MAX_COMMAND_LENGTH,
} from '../../../src/core/policy/shell-analysis';

const segs = (c: string) => describeSegments(analyzeShell(c));
const kinds = (c: string) => analyzeShell(c).findings.map((f) => f.kind);

describe('shell analysis: segments', () => {
  it('splits lists, pipelines, and/or lists, background jobs and newlines', () => {
    assert.deepEqual(segs('a 1 && b 2 || c; d | e & f\ng'), [
      ['a', '1'],
      ['b', '2'],
      ['c'],
      ['d'],
      ['e'],
      ['f'],
      ['g'],
    ]);
  });

  it('descends into subshells, brace groups, if/for/while/case and function bodies', () => {
    assert.deepEqual(segs('(a; { b; }); if c; then d; elif e; then f; else g; fi'), [
      ['a'],
      ['b'],
      ['c'],
      ['d'],
      ['e'],
      ['f'],
      ['g'],
    ]);
    assert.deepEqual(segs('for i in x y; do h; done; while j; do k; done; case z in z) l;; esac'), [
      ['h'],
      ['j'],
      ['k'],
      ['l'],
    ]);
    const a = analyzeShell('f() { m; n | o; }; f');
    assert.deepEqual(describeSegments(a), [['m'], ['n'], ['o'], ['f']]);
    assert.deepEqual(a.functions, [{ name: 'f', body: [0, 1, 2] }]);
    assert.equal(a.segments[0]!.context, 'function-body');
  });

  it('gives literal words their shell value and marks expansions non-literal', () => {
    const a = analyzeShell(`echo "a b" 'c'd e\\ f $'\\x41' "$HOME" $x *.ts {a,b} ~/x ~root a=~/b`);
    const words = a.segments[0]!.argv;
    assert.deepEqual(
      words.map((w) => w.literal),
      ['echo', 'a b', 'cd', 'e f', 'A', undefined, undefined, undefined, undefined, 'x', undefined, undefined],
    );
    assert.equal(words[7]!.glob, true);
    assert.equal(words[8]!.glob, true);
    assert.equal(words[9]!.home, true, '~/x is relative to the home directory');
  });

  it('records nested substitutions as segments with their parent', () => {
    const a = analyzeShell('echo $(cat x) `id` <(ls) "$(printf "$(whoami)")"');
    assert.deepEqual(describeSegments(a).slice(1), [
      ['cat', 'x'],
      ['id'],
      ['ls'],
      ['printf', '"$(whoami)"'],
      ['whoami'],
    ]);
    assert.deepEqual(
      a.segments.map((s) => s.context),
      [
        'top',
        'command-substitution',
        'command-substitution',
        'process-substitution',
        'command-substitution',
        'command-substitution',
      ],
    );
    assert.deepEqual(
      a.segments.map((s) => s.parent),
      [undefined, 0, 0, 0, 0, 4],
    );
    assert.deepEqual(kinds('echo $(cat x) `id` <(ls)'), [
      'command-substitution',
      'command-substitution',
      'process-substitution',
    ]);
  });

  it('classifies redirections', () => {
    const r = analyzeShell('cmd < in > out 2>&1 >> log &> all 3>&- 2>/dev/null <<< s >& f').segments[0]!.redirects;
    assert.deepEqual(
      r.map((x) => [x.kind, x.target?.literal]),
      [
        ['read', 'in'],
        ['write', 'out'],
        ['dup', '1'],
        ['write', 'log'],
        ['write', 'all'],
        ['close', '-'],
        ['write', '/dev/null'],
        ['herestring', 's'],
        ['write', 'f'],
      ],
    );
  });

  it('reports the redirections of compound commands as a segment of their own', () => {
    const a = analyzeShell('{ ls; } > out; while read l; do :; done < in');
    const pseudo = a.segments.filter((s) => s.context === 'compound-redirect');
    assert.deepEqual(
      pseudo.map((s) => s.redirects.map((r) => [r.kind, r.target?.literal])),
      [[['write', 'out']], [['read', 'in']]],
    );
  });

  it('flags dangerous parameter expansions, arithmetic, heredocs, assignments and background jobs', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax
    assert.deepEqual(kinds('echo ${x@P} ${y=1} ${!z} ${w:-ok} ${#v}'), [
      'dangerous-expansion',
      'dangerous-expansion',
      'dangerous-expansion',
    ]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax
    assert.deepEqual(kinds('echo $((1+2)) ${s:1:2} ${a[i]}; ((x++)); [[ $a -eq 1 ]]'), [
      'arithmetic',
      'arithmetic',
      'arithmetic',
      'arithmetic',
      'arithmetic',
    ]);
    assert.deepEqual(kinds("cat <<'EOF'\nplain\nEOF"), ['heredoc']);
    assert.deepEqual(kinds('A=1 cmd; sleep 1 &'), ['assignment', 'background']);
    assert.equal(analyzeShell('sleep 1 &').segments[0]!.background, true);
  });

  it('a substitution inside an expansion operand is still found', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax
    const a = analyzeShell('echo ${x:-$(rm -rf /)}');
    assert.deepEqual(describeSegments(a)[1], ['rm', '-rf', '/']);
  });

  it('parse errors anywhere (also inside a substitution) make the analysis not ok, with a position', () => {
    for (const bad of ['echo "x', 'ls &&', 'echo $(ls', 'if true; then', 'cat <<EOF\nno end', '(ls']) {
      const a = analyzeShell(bad);
      assert.equal(a.ok, false, bad);
      assert.ok(a.errors.length > 0, bad);
      assert.ok(a.errors[0]!.offset >= 0 && a.errors[0]!.offset <= bad.length, bad);
    }
  });

  it('counts segments against the budget and stops analysing pathological input', () => {
    const fifty = Array(50).fill('true').join(' && ');
    assert.equal(analyzeShell(fifty).overBudget, false);
    assert.equal(analyzeShell(`${fifty} && true`).overBudget, true);
    const huge = analyzeShell(
      Array(MAX_ANALYSED_SEGMENTS + 5)
        .fill('t')
        .join(';'),
    );
    assert.equal(huge.truncated, true);
    assert.equal(huge.ok, false);
    const long = analyzeShell(`echo ${'a'.repeat(MAX_COMMAND_LENGTH)}`);
    assert.equal(long.truncated, true);
  });

  it('never throws, whatever the input', () => {
    for (const s of ['', ' ', '\0', ')(', '${', '$((', '<<', '`', "'", '\\', ';;', '|', '&&&', '{', '}', '\u202e']) {
      assert.doesNotThrow(() => analyzeShell(s), JSON.stringify(s));
    }
  });
});

describe('shell analysis: what a command does', () => {
  const facts = (c: string, i = 0) => commandFacts(analyzeShell(c).segments[i]!);
  const names = (c: string) => facts(c).views.map((v) => v.argv.map((w) => w.literal ?? w.text).join(' '));

  it('unwraps env, nice, timeout, nohup, stdbuf, command, sudo down to the command that runs', () => {
    assert.deepEqual(names('env -i X=1 Y=2 timeout -s KILL 5 nice -n 3 nohup stdbuf -oL rm -rf x'), [
      'env -i X=1 Y=2 timeout -s KILL 5 nice -n 3 nohup stdbuf -oL rm -rf x',
      'timeout -s KILL 5 nice -n 3 nohup stdbuf -oL rm -rf x',
      'nice -n 3 nohup stdbuf -oL rm -rf x',
      'nohup stdbuf -oL rm -rf x',
      'stdbuf -oL rm -rf x',
      'rm -rf x',
    ]);
    assert.deepEqual(
      facts('env A=1 B=2 ls').effective.assignments.map((a) => a.name),
      ['A', 'B'],
    );
    assert.deepEqual(names('sudo -u root -- cat /etc/shadow').at(-1), 'cat /etc/shadow');
    assert.equal(facts('command -v git').neutral, true);
  });

  it('finds inline code, code from stdin, and scripts', () => {
    assert.deepEqual(facts("bash -lc 'rm x'").nested, [{ text: 'rm x', via: 'bash -c' }]);
    assert.deepEqual(facts("sh -o pipefail -c 'a | b'").nested, [{ text: 'a | b', via: 'sh -c' }]);
    assert.deepEqual(facts('eval ls -la').nested, [{ text: 'ls -la', via: 'eval' }]);
    assert.deepEqual(facts("watch -n 1 'cat x'").nested, [{ text: 'cat x', via: 'watch' }]);
    assert.equal(facts('curl x | bash', 1).programFromStdin, true);
    assert.equal(facts('bash -s < x.sh').programFromStdin, true);
    assert.equal(facts('python3 - < x.py').programFromStdin, true);
    assert.equal(facts('bash ./build.sh').programFromStdin, undefined);
    assert.deepEqual(
      facts('python3 -m pytest -q').neverAuto,
      [],
      'python -m runs an installed module: an ordinary command',
    );
    for (const c of [
      'python -Bc 1',
      'node --eval 1',
      'perl -lne 1',
      'ruby -e 1',
      'php -r 1',
      'deno eval 1',
      'bun -e 1',
    ]) {
      assert.ok(facts(c).neverAuto.length > 0, c);
    }
  });

  it('finds the files commands read and write', () => {
    const paths = (c: string, i = 0) => facts(c, i).paths.map((p) => `${p.role}:${p.word.literal ?? p.word.text}`);
    assert.deepEqual(paths('cp -r a b dest'), ['write:dest', 'read:a', 'read:b']);
    assert.deepEqual(paths('cp -t dest a b'), ['write:dest', 'read:a', 'read:b']);
    assert.deepEqual(paths('mv a b'), ['write:b', 'write:a']);
    assert.deepEqual(paths('tee -a x y'), ['write:x', 'write:y']);
    assert.deepEqual(paths("sed -i.bak 's/a/b/' f"), ['write:f']);
    assert.deepEqual(paths("sed -n '1p' f"), ['read:f']);
    assert.deepEqual(paths('dd if=a of=b bs=1'), ['read:a', 'write:b']);
    assert.deepEqual(paths('curl -o out -T up -d @body https://h/p'), ['write:out', 'read:up', 'read:body']);
    assert.deepEqual(paths('curl -O https://h/dir/.mcp.json'), ['write:.mcp.json']);
    assert.deepEqual(paths('wget https://h/x.sh'), ['write:x.sh']);
    assert.deepEqual(paths('git config --global user.name x'), ['write:.gitconfig']);
    assert.deepEqual(paths('git config --get user.name'), []);
    assert.deepEqual(paths('git show HEAD:src/a.ts -- b'), ['read:src/a.ts', 'read:b']);
    assert.deepEqual(paths('find src -name x -fprint out'), ['read:src', 'write:out']);
    assert.deepEqual(paths('cat < in > out'), ['read:in', 'write:out']);
    assert.deepEqual(paths('npm run build --prefix=.git/x'), ['mention:run', 'mention:build', 'mention:.git/x']);
  });

  it('says which commands are read-only by default, and why not', () => {
    const ro = (c: string) => facts(c).readOnly;
    assert.deepEqual(ro('ls -la src'), { ok: true });
    assert.deepEqual(ro('head -20 x'), { ok: true });
    assert.deepEqual(ro('git --no-pager log -p -- src'), { ok: true });
    assert.equal(ro('./ls')?.ok, false, 'a command named by a path is not the system ls');
    assert.equal(ro('cat --unknown x')?.ok, false);
    assert.equal(ro('git --git-dir=/x log')?.ok, false);
    assert.equal(ro('git diff --no-index a b')?.ok, false);
    assert.equal(ro('find . -exec ls ;')?.ok, false);
    assert.equal(ro('pwd extra')?.ok, false);
    assert.equal(ro('rm x'), undefined);
  });
});
