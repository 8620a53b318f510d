import * as assert from 'node:assert/strict';
import { parseSlashCommandLine } from '../../../src/core/commands/command-line';

describe('parseSlashCommandLine', () => {
  it('splits the name from the argument text, which stays as typed', () => {
    const r = parseSlashCommandLine('/prp-create $FEATURE "with  spaces"  ');
    assert.ok(r.ok);
    assert.equal(r.name, 'prp-create');
    assert.equal(r.argsText, '$FEATURE "with  spaces"');
    assert.equal(r.argsOffset, 12);
  });

  it('accepts namespaced names, leading blanks and no arguments', () => {
    const r = parseSlashCommandLine('  /frontend:component');
    assert.ok(r.ok);
    assert.deepEqual([r.name, r.argsText], ['frontend:component', '']);
    const multi = parseSlashCommandLine('/fix-bug line one\nline two');
    assert.ok(multi.ok);
    assert.equal(multi.argsText, 'line one\nline two');
  });

  it('explains what is wrong otherwise', () => {
    const noSlash = parseSlashCommandLine('npm test');
    assert.ok(!noSlash.ok && /starts with `\/`/.test(noSlash.message));
    const empty = parseSlashCommandLine('/ x');
    assert.ok(!empty.ok && /command name must follow/.test(empty.message));
    const bad = parseSlashCommandLine('/$CMD x');
    assert.ok(!bad.ok && /not a command name/.test(bad.message) && bad.offset === 1);
  });
});
