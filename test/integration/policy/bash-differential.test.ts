/**
 * The parser against the real bash (`bash -n`: parse only, nothing runs). Whenever bash rejects a line, our
 * analysis must too (so it can never be auto-allowed). We may be stricter than bash, but only where listed.
 * Also checks that the segments we find are the commands bash would run, using bash's own `declare -f`
 * pretty-printer on a function wrapping the line (still nothing runs).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { analyzeShell } from '../../../src/core/policy/shell-analysis';

const CORPUS = [
  'ls && rm -rf src',
  'ls; rm -rf src',
  'a | b |& c',
  'echo $(id) `id` <(ls) >(wc)',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax
  'echo ${x@P} ${x=1} ${!x} ${x:-$(id)}',
  'cat <<EOF\n$(id)\nEOF',
  "cat <<'EOF'\nplain\nEOF",
  'cat <<< "$(id)"',
  'f() { f|f& }; f',
  ':(){ :|:& };:',
  'if a; then b; elif c; then d; else e; fi',
  'for i in 1 2; do echo $i; done',
  'for ((i=0;i<3;i++)); do :; done',
  'while read l; do echo "$l"; done < in',
  'case $x in a|b) x;; *) y;; esac',
  '[[ -f x && $y -eq 1 ]]',
  '(( x = 1 + 2 ))',
  'coproc cat',
  'time ls | wc',
  '! true',
  'x=1 y=2 cmd',
  'a=(1 2 3)',
  'echo a\\\nb',
  'echo $\'\\x41\' $"loc"',
  'ls 2>&1 >/dev/null 3>&- 4<&0',
  'echo "unterminated',
  "echo 'unterminated",
  'ls &&',
  '| ls',
  'ls ;;',
  'if true; then',
  '(ls',
  'ls )',
  'echo ${',
  'echo $(ls',
  'echo `ls',
  'echo $((1+',
  '[[ -f x',
  'ls >',
  'f() ls',
  '{ ls }',
  'done',
  'function',
  'a=(1 2',
  'ls & & ls',
  'cat <<EOF\nno end',
  'echo }',
  'echo {',
  'a=b=c',
  'select x in a; do ls; done',
];

/** Lines bash accepts that we refuse on purpose (fail closed). */
const STRICTER_THAN_BASH = new Set(['cat <<EOF\nno end']);

function bashAccepts(line: string): boolean {
  return spawnSync('bash', ['-n', '-c', line], { stdio: 'ignore' }).status === 0;
}

describe('shell analysis vs bash -n', () => {
  before(() => {
    const v = spawnSync('bash', ['--version'], { encoding: 'utf8' });
    assert.equal(v.status, 0, 'bash is needed for the differential test');
  });

  for (const line of CORPUS) {
    it(JSON.stringify(line), () => {
      const ours = analyzeShell(line).ok;
      const bash = bashAccepts(line);
      if (!bash) assert.equal(ours, false, 'bash rejects it, so must we');
      else if (STRICTER_THAN_BASH.has(line)) assert.equal(ours, false);
      else assert.equal(ours, true, `bash accepts it but we refuse: ${JSON.stringify(analyzeShell(line).errors)}`);
    });
  }

  it('finds the simple commands bash prints back for the same line (declare -f prints, nothing runs)', () => {
    const lines: [string, string[]][] = [
      ['a1 1 && b1 2 || c1; d1 | e1', ['a1', 'b1', 'c1', 'd1', 'e1']],
      ['if x1; then y1; fi; for i in 1; do z1; done', ['x1', 'y1', 'z1']],
      ['(p1; q1) && { r1; }', ['p1', 'q1', 'r1']],
      ['f1 $(g1) "$(h1)" <(k1)', ['f1', 'g1', 'h1', 'k1']],
    ];
    for (const [line, expected] of lines) {
      const printed = spawnSync('bash', ['-c', `__ccf() {\n${line}\n}; declare -f __ccf`], { encoding: 'utf8' }).stdout;
      const ours = analyzeShell(line).segments.map((s) => s.argv[0]?.literal);
      assert.deepEqual(ours, expected, line);
      for (const name of expected) assert.match(printed, new RegExp(`\\b${name}\\b`), `bash knows ${name}: ${printed}`);
    }
  });
});
