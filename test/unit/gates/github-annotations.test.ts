import * as assert from 'node:assert/strict';
import { type Diagnostic, WHOLE_LINE_END_COLUMN } from '../../../src/core/gates/diagnostic';
import { escapeData, escapeProperty, formatGithubAnnotation } from '../../../src/core/gates/github-annotations';

const base: Diagnostic = {
  file: 'src/a.ts',
  line: 3,
  column: 7,
  endLine: 3,
  endColumn: 12,
  severity: 'error',
  code: 'TS2322',
  message: "Type 'string' is not assignable to type 'number'.",
  source: 'ts',
};

describe('formatGithubAnnotation', () => {
  it('prints an error with its range and a title naming the tool and code', () => {
    assert.equal(
      formatGithubAnnotation(base),
      "::error file=src/a.ts,line=3,col=7,endLine=3,endColumn=12,title=ts TS2322::Type 'string' is not assignable to type 'number'.",
    );
  });

  it('maps warning to warning and info to notice', () => {
    assert.match(formatGithubAnnotation({ ...base, severity: 'warning' }), /^::warning /);
    assert.match(formatGithubAnnotation({ ...base, severity: 'info' }), /^::notice /);
  });

  it('leaves out columns of a whole-line problem and the end column of a zero-width or multi-line one', () => {
    assert.equal(
      formatGithubAnnotation({
        ...base,
        column: 1,
        endColumn: WHOLE_LINE_END_COLUMN,
        code: undefined,
        source: 'pytest',
      }),
      "::error file=src/a.ts,line=3,title=pytest::Type 'string' is not assignable to type 'number'.",
    );
    assert.match(formatGithubAnnotation({ ...base, endColumn: 7 }), /line=3,col=7,title=/);
    assert.match(formatGithubAnnotation({ ...base, endLine: 5, endColumn: 2 }), /line=3,col=7,endLine=5,title=/);
  });

  it('escapes % CR LF in the message, and : , too in properties', () => {
    assert.equal(escapeData('100% done\r\nnext'), '100%25 done%0D%0Anext');
    assert.equal(escapeProperty('a:b,c%'), 'a%3Ab%2Cc%25');
    const d: Diagnostic = {
      ...base,
      file: 'src/odd,name:1.ts',
      code: 'a,b',
      message: 'line one\nline two: 50%',
    };
    assert.equal(
      formatGithubAnnotation(d),
      '::error file=src/odd%2Cname%3A1.ts,line=3,col=7,endLine=3,endColumn=12,title=ts a%2Cb::line one%0Aline two: 50%25',
    );
  });

  it('cannot link a file outside the project: no file property, the path goes into the message', () => {
    const d: Diagnostic = { ...base, file: '/usr/include/stdio.h', severity: 'info', code: undefined, source: 'gcc' };
    assert.equal(formatGithubAnnotation(d), `::notice title=gcc::/usr/include/stdio.h:3:7: ${base.message}`);
  });

  it('a workflow command cannot be smuggled through a message', () => {
    const evil = formatGithubAnnotation({ ...base, message: 'x\n::set-env name=PATH::/evil' });
    assert.equal(evil.split('\n').length, 1);
    assert.ok(!evil.includes('\n::'));
  });
});
