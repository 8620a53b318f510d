import * as assert from 'node:assert/strict';
import { commandPlaceholders, commentPlaceholders, pathPlaceholders, prosePlaceholders } from '../../../src/core/lint';

const texts = (ms: Array<{ text: string }>): string[] => ms.map((m) => m.text);

describe('placeholder heuristics', () => {
  it('prose: template brackets of two or more words, or one ALL_CAPS_NAME', () => {
    assert.deepEqual(
      texts(prosePlaceholders('**Feature Goal**: [Specific, measurable end state of what needs to be built]')),
      ['[Specific, measurable end state of what needs to be built]'],
    );
    assert.deepEqual(texts(prosePlaceholders('# [feature name] - PRP')), ['[feature name]']);
    assert.deepEqual(texts(prosePlaceholders('Owner: [TEAM_NAME]')), ['[TEAM_NAME]']);
  });

  it('prose: explicit markers', () => {
    assert.deepEqual(texts(prosePlaceholders('[TODO] and [TBD: later] and TODO: x and FIXME(me) and TBD.')), [
      '[TODO]',
      '[TBD: later]',
      'TODO',
      'FIXME',
      'TBD',
    ]);
    assert.deepEqual(texts(prosePlaceholders('Hi {{name}}; [NEEDS CLARIFICATION: which store?]')), [
      '{{name}}',
      '[NEEDS CLARIFICATION: which store?]',
    ]);
  });

  it('prose: not placeholders', () => {
    for (const text of [
      '[x]',
      '[ ]',
      '[1, 2, 3]',
      '[WIP]',
      '[^note]',
      '[[Wiki Page]]',
      '\\[escaped words\\]',
      '![alt text here](img.png)',
      '[link text](https://x)',
      '[ref text][ref]',
      '[label]: https://example.com',
      'No TODO comments, todo: lower case, ATBD, TBDs',
      'RFC [RFC 9110]',
      '{{.Name}}',
    ]) {
      assert.deepEqual(prosePlaceholders(text), [], text);
    }
  });

  it('commands: {name}, <name>, {{x}} and bracket markers outside single quotes', () => {
    assert.deepEqual(texts(commandPlaceholders('uv run pytest src/{domain}/tests -k <test-name> --token {{token}}')), [
      '{domain}',
      '<test-name>',
      '{{token}}',
    ]);
    assert.deepEqual(texts(commandPlaceholders('curl http://localhost:8000/{your_endpoint}')), ['{your_endpoint}']);
    assert.deepEqual(texts(commandPlaceholders('run [TODO]')), ['[TODO]']);
    for (const text of [
      `echo \${HOME} \${x:-y}`,
      'cp src/{a,b}.ts out/ && echo {1..3}',
      "awk '{print $1}' file",
      "jq '.items[] | {name}' f.json",
      'docker inspect -f {{.State.Running}} app',
      'find . -exec rm {} +',
      'sort < in.txt > out.txt',
      '[ -f x ] && [[ -d y ]]',
      'echo TODO: later',
    ]) {
      assert.deepEqual(commandPlaceholders(text), [], text);
    }
  });

  it('paths: a whole bracketed value, or {name} / <name> inside it', () => {
    assert.deepEqual(texts(pathPlaceholders('[exact/path/to/pattern/file.py]')), ['[exact/path/to/pattern/file.py]']);
    assert.deepEqual(texts(pathPlaceholders(' <path> ')), ['<path>']);
    assert.deepEqual(texts(pathPlaceholders('src/models/{domain}_models.py')), ['{domain}']);
    assert.deepEqual(pathPlaceholders('src/models/user.py'), []);
    assert.deepEqual(pathPlaceholders('https://example.com/a?b=[1]'), []);
  });

  it('code comments: brackets and markers, but not a plain TODO note', () => {
    assert.deepEqual(texts(commentPlaceholders(' CRITICAL: [Library name] requires [specific setup]')), [
      '[Library name]',
      '[specific setup]',
    ]);
    assert.deepEqual(commentPlaceholders(' TODO: remove once v2 ships'), []);
    assert.deepEqual(texts(commentPlaceholders(' [TODO] fill in')), ['[TODO]']);
  });
});
