import * as assert from 'node:assert/strict';
import { splitShellCommands } from '../../../src/core/prp';

function commands(body: string): Array<[string, number, number]> {
  return splitShellCommands(body).commands.map((c) => [c.text, c.startLine, c.endLine]);
}

describe('shell fence → commands', () => {
  it('one command per line; blank lines and comment lines skipped', () => {
    assert.deepEqual(commands('# lint first\nnpm run lint\n\n   \nnpm test\n# done\n'), [
      ['npm run lint', 1, 1],
      ['npm test', 4, 4],
    ]);
  });

  it('drops trailing comments but not # inside quotes or words', () => {
    assert.deepEqual(commands(`ruff check src/ --fix   # auto-fix\necho "a # b" 'c # d' e#f`), [
      ['ruff check src/ --fix', 0, 0],
      [`echo "a # b" 'c # d' e#f`, 1, 1],
    ]);
  });

  it('joins \\ continuations with a space and keeps the line range', () => {
    assert.deepEqual(commands('curl -X POST http://x \\\n  -H "A: b" \\\n  -d \'{}\'\nnext'), [
      [`curl -X POST http://x -H "A: b" -d '{}'`, 0, 2],
      ['next', 3, 3],
    ]);
  });

  it('an escaped backslash at the end is not a continuation', () => {
    assert.deepEqual(commands('echo a\\\\\necho b'), [
      ['echo a\\\\', 0, 0],
      ['echo b', 1, 1],
    ]);
  });

  it('joins lines ending in |, && or ||', () => {
    assert.deepEqual(commands('cat x |\n  grep y &&\n  echo ok ||\n  echo bad\nls'), [
      ['cat x | grep y && echo ok || echo bad', 0, 3],
      ['ls', 4, 4],
    ]);
  });

  it('a continuation followed by a blank line ends the command', () => {
    assert.deepEqual(commands('npm test \\\n\nnpm run lint'), [
      ['npm test', 0, 0],
      ['npm run lint', 2, 2],
    ]);
  });

  it('a comment line inside a continuation does not end the command', () => {
    assert.deepEqual(commands('echo a | # pipe\n  wc -l'), [['echo a | wc -l', 0, 1]]);
  });

  it('keeps a quoted multi-line string with its newlines', () => {
    assert.deepEqual(commands(`python -c "\nimport sys\nprint(sys.version)\n"\nnext`), [
      [`python -c "\nimport sys\nprint(sys.version)\n"`, 0, 3],
      ['next', 4, 4],
    ]);
  });

  it('keeps a heredoc as one command, # lines inside it included', () => {
    assert.deepEqual(commands("psql <<'SQL'\n# not a comment\nSELECT 1;\nSQL\necho done"), [
      ["psql <<'SQL'\n# not a comment\nSELECT 1;\nSQL", 0, 3],
      ['echo done', 4, 4],
    ]);
    assert.deepEqual(commands('cat <<-EOF\n\tindented\n\tEOF\nls'), [
      ['cat <<-EOF\n\tindented\n\tEOF', 0, 2],
      ['ls', 3, 3],
    ]);
  });

  it('strips a "$ " prompt and reports the column of the first character', () => {
    const r = splitShellCommands('   $ npm test');
    assert.deepEqual(
      r.commands.map((c) => [c.text, c.startColumn]),
      [['npm test', 3]],
    );
  });

  it('reports whole-line comments (for Expected: notes)', () => {
    assert.deepEqual(splitShellCommands('npm test\n  # Expected: all green\n').comments, [
      { text: 'Expected: all green', line: 1, column: 2 },
    ]);
  });

  it('handles CRLF bodies', () => {
    assert.deepEqual(commands('npm run lint\r\nnpm test \\\r\n  --bail\r\n'), [
      ['npm run lint', 0, 0],
      ['npm test --bail', 1, 2],
    ]);
  });
});
