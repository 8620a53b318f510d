import * as assert from 'node:assert/strict';
import { expandArguments, usesArguments } from '../../../src/core/commands/expand-arguments';

describe('expandArguments', () => {
  it('puts the whole text in $ARGUMENTS and shell-split words in $1..$9', () => {
    const r = expandArguments('All: $ARGUMENTS | 1=$1 2=$2 3=$3', 'user-auth "with OAuth" x');
    assert.equal(r.text, 'All: user-auth "with OAuth" x | 1=user-auth 2=with OAuth 3=x');
    assert.deepEqual(r.positionals, ['user-auth', 'with OAuth', 'x']);
  });

  it('makes missing positionals empty', () => {
    assert.equal(expandArguments('[$1][$2][$9]', 'only').text, '[only][][]');
    assert.equal(expandArguments('[$ARGUMENTS][$1]', '').text, '[][]');
  });

  it('leaves $10, $0, $ARGUMENTS_X and lower-case forms as typed', () => {
    const r = expandArguments('$10 $0 $ARGUMENTS_X $arguments $1x $1_ $1.', 'a b');
    assert.equal(r.text, '$10 $0 $ARGUMENTS_X $arguments $1x $1_ a.');
  });

  it('is one pass: substituted text is never expanded again', () => {
    // `$&`, `$'` and `$\`` are also special in String.prototype.replace patterns.
    const hostile = `'$1' "$ARGUMENTS" $100 $(id) \`id\` $$ $& "$'" "$\`" \\n`;
    const r = expandArguments('A=$ARGUMENTS B=$1', hostile);
    assert.equal(r.warning, undefined);
    assert.equal(r.text, `A=${hostile} B=${r.positionals[0]}`);
    assert.equal(r.positionals[0], '$1');
    const byWord = expandArguments('$1|$2|$3|$4|$5', `'$2' '$ARGUMENTS' '$100' '$(id)' '\`id\`'`);
    assert.equal(byWord.text, '$2|$ARGUMENTS|$100|$(id)|`id`');
  });

  it('keeps newlines and quotes in arguments exactly', () => {
    const args = 'first\nsecond "quoted"';
    assert.equal(expandArguments('<$ARGUMENTS>', args).text, `<${args}>`);
  });

  it('uses given positionals instead of splitting', () => {
    assert.equal(expandArguments('$1/$2', 'ignored text', ['a b', 'c']).text, 'a b/c');
  });

  it('warns and splits on whitespace when a quote is not closed', () => {
    const r = expandArguments('$1|$2', 'fix "it');
    assert.equal(r.text, 'fix|"it');
    assert.match(r.warning ?? '', /unterminated quote/);
  });

  it('tells whether a body takes arguments', () => {
    assert.equal(usesArguments('Do $ARGUMENTS'), true);
    assert.equal(usesArguments('Do $3 now'), true);
    assert.equal(usesArguments('Costs $10 and $HOME'), false);
  });
});
