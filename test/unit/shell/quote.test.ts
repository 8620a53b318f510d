// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the tests hold literal ${NAME} workflow and shell syntax.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { shellJoin, shellQuote, UnquotableValueError } from '../../../src/core/shell/quote';

/** Values chosen to break naive quoting: quotes, expansions, operators, whitespace, Unicode. */
const HOSTILE = [
  '',
  ' ',
  'plain',
  "it's",
  "'",
  "''",
  "'''a'''",
  '"',
  '"double" and \'single\'',
  '$HOME',
  '${HOME}',
  '$(id)',
  '`id`',
  '$((1+1))',
  '\\',
  '\\\\',
  'a\\nb',
  'line1\nline2',
  '\n',
  '\r\n',
  '\t tab',
  '; rm -rf ~; echo ',
  "'; rm -rf ~; echo '",
  'a && b || c | d & e',
  '> /tmp/x < /etc/passwd 2>&1',
  '*',
  '?',
  '[a-z]*',
  '~',
  '~root',
  '!',
  '!!',
  '!$',
  '#comment',
  'a=b',
  'FOO=bar cmd',
  '-n',
  '--',
  '-e \\x41',
  '%s%s%n',
  '{a,b}',
  '$100',
  '$ARGUMENTS',
  '$1',
  'émoji 🎉 ünïcödé',
  '\u202e\u2066bidi',
  '\u0001\u0007\u001b[31mred',
  'x'.repeat(5000),
];

function shOut(script: string): string {
  return execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8' });
}

describe('shellQuote', () => {
  it('round-trips every hostile value through a real /bin/sh as one literal word', () => {
    for (const value of HOSTILE) {
      const quoted = shellQuote(value);
      assert.equal(shOut(`printf %s ${quoted}`), value, `value ${JSON.stringify(value)} quoted as ${quoted}`);
    }
  });

  it('keeps each value one argument when several are joined', () => {
    const script = `for a in ${shellJoin(HOSTILE)}; do printf '<%s>' "$a"; done`;
    assert.equal(shOut(script), HOSTILE.map((v) => `<${v}>`).join(''));
  });

  it('quotes the empty string as a real empty argument', () => {
    assert.equal(shellQuote(''), "''");
    assert.equal(shOut(`set -- ${shellQuote('')}; printf %s "$#"`), '1');
  });

  it('refuses a NUL character (no argv string can hold it)', () => {
    assert.throws(
      () => shellQuote('a\0b'),
      (err: unknown) => err instanceof UnquotableValueError && err.offset === 1,
    );
  });

  it('leaves nothing for the shell to expand inside the quoted text', () => {
    for (const value of HOSTILE) {
      const quoted = shellQuote(value);
      // Either it is made only of inert characters, or it is single-quoted segments and "'" runs.
      const inert = /^[A-Za-z0-9_@%+=:,./-]+$/.test(quoted);
      const singleQuoted = /^(?:'[^']*'|"'+")+$/.test(quoted);
      assert.ok(inert || singleQuoted, `unexpected form ${quoted}`);
    }
  });
});
