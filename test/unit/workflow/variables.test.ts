// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the tests hold literal ${NAME} workflow and shell syntax.
import * as assert from 'node:assert/strict';
import { formatDuration, parseDuration } from '../../../src/core/workflow/duration';
import {
  isReservedVariableName,
  scanShellReferences,
  scanTemplate,
  substituteTemplate,
} from '../../../src/core/workflow/variables';

const names = (refs: { name: string }[]) => refs.map((r) => r.name);

describe('workflow variable grammar', () => {
  it('finds $NAME and ${NAME} with upper-case names only', () => {
    assert.deepEqual(names(scanTemplate('/x $FEATURE_NAME ${BRANCH}_x $lower $Mixed $1 ${lower} $A1_B2')), [
      'FEATURE_NAME',
      'BRANCH',
      'A1_B2',
    ]);
  });

  it('takes the whole word after $, so $NAME_suffix is not NAME', () => {
    assert.deepEqual(names(scanTemplate('$FEATURE_name $FEATURE.md $FEATURE-x')), ['FEATURE', 'FEATURE']);
  });

  it('treats $$ as a literal $', () => {
    assert.deepEqual(names(scanTemplate('$$NAME $$$NAME')), ['NAME']);
    assert.equal(
      substituteTemplate('$$NAME costs $$5 and $NAME', () => 'v'),
      '$NAME costs $5 and v',
    );
  });

  it('substitutes in one pass: values are never scanned again', () => {
    const values: Record<string, string> = { A: '$B ${B} $$', B: 'never' };
    assert.equal(
      substituteTemplate('[$A] [${B}]', (n) => values[n]),
      '[$B ${B} $$] [never]',
    );
  });

  it('leaves references without a value as typed', () => {
    assert.equal(
      substituteTemplate('$KNOWN $UNKNOWN ${UNKNOWN}', (n) => (n === 'KNOWN' ? 'k' : undefined)),
      'k $UNKNOWN ${UNKNOWN}',
    );
  });

  it('finds shell parameter references in run: scripts, skipping $$ and \\$', () => {
    const script = 'echo "$NAME" ${BRANCH:-main} ${#COUNT} ${X} $$ \\$ESCAPED \\\\$REAL $lower $1 $? ${A[0]}';
    assert.deepEqual(names(scanShellReferences(script)), ['NAME', 'BRANCH', 'COUNT', 'X', 'REAL', 'A']);
  });

  it('reserves names that change how a step runs', () => {
    for (const n of [
      'PATH',
      'HOME',
      'IFS',
      'BASH_ENV',
      'ENV',
      'LD_PRELOAD',
      'DYLD_INSERT_LIBRARIES',
      'NODE_OPTIONS',
      'CCF_X',
    ]) {
      assert.equal(isReservedVariableName(n), true, n);
    }
    for (const n of ['FEATURE_NAME', 'BRANCH', 'PATHNAME']) assert.equal(isReservedVariableName(n), false, n);
  });
});

describe('durations', () => {
  it('parses h/m/s/ms parts in order', () => {
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('30s'), 30_000);
    assert.equal(parseDuration('10m'), 600_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('2m30s'), 150_000);
    assert.equal(parseDuration('1h1m1s1ms'), 3_661_001);
  });

  it('refuses anything else', () => {
    for (const t of ['', '10', 'm', '30s10m', '10 minutes', '1.5h', '-1s', '1d'])
      assert.equal(parseDuration(t), undefined, t);
  });

  it('formats milliseconds back', () => {
    assert.equal(formatDuration(5_400_000), '1h30m');
    assert.equal(formatDuration(1500), '1s500ms');
  });
});
