import * as assert from 'node:assert/strict';
import { LINT_RULES } from '../../../src/core/lint';
import { type Problem, problem } from '../../../src/core/problems';
import { pathToUriReference, SARIF_SCHEMA_URI, toSarif } from '../../../src/core/report/sarif';
import { assertSarifShape, validateSarif } from '../../support/sarif';

const tool = {
  name: 'codex-context-forge',
  version: '0.1.0',
  informationUri: 'https://www.npmjs.com/package/codex-context-forge',
  rules: LINT_RULES,
};

describe('SARIF writer', () => {
  const problems: Problem[] = [
    problem('PRPs/my feature.md', 12, 5, 'gate-program-not-found', '"ruff" is not on PATH'),
    problem('PRPs/my feature.md', 3, 1, 'prp-empty-section', 'section is empty', 'warning'),
    { ...problem('PRPs/x.md', 1, 1, 'some-reader-rule', 'info', 'info'), endLine: 1, endColumn: 4 },
  ];
  const log = toSarif(tool, problems, { projectRoot: '/work/my project' });

  it('validates against the SARIF 2.1.0 schema and has every required property', () => {
    assertSarifShape(log);
  });

  it('maps problems to results with levels, rule indexes and regions', () => {
    const run = log.runs[0]!;
    assert.equal(log.$schema, SARIF_SCHEMA_URI);
    assert.equal(run.columnKind, 'utf16CodeUnits');
    assert.deepEqual(run.results![0], {
      ruleId: 'gate-program-not-found',
      ruleIndex: LINT_RULES.findIndex((r) => r.id === 'gate-program-not-found'),
      level: 'error',
      message: { text: '"ruff" is not on PATH' },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'PRPs/my%20feature.md', uriBaseId: '%SRCROOT%' },
            region: { startLine: 12, startColumn: 5 },
          },
        },
      ],
    });
    assert.equal(run.results![1]!.level, 'warning');
    assert.equal(run.results![2]!.level, 'note');
    assert.deepEqual(run.results![2]!.locations![0]!.physicalLocation!.region, {
      startLine: 1,
      startColumn: 1,
      endLine: 1,
      endColumn: 4,
    });
    assert.deepEqual(run.originalUriBaseIds, { '%SRCROOT%': { uri: 'file:///work/my%20project/' } });
  });

  it('describes every rule, adding rules results use that the catalogue lacks', () => {
    const rules = log.runs[0]!.tool.driver.rules!;
    assert.equal(rules.length, LINT_RULES.length + 1);
    assert.deepEqual(rules[rules.length - 1], {
      id: 'some-reader-rule',
      shortDescription: { text: 'some-reader-rule' },
      defaultConfiguration: { level: 'error' },
    });
    const missing = rules.find((r) => r.id === 'prp-missing-section')!;
    assert.equal(missing.name, 'MissingSection');
    assert.match(missing.fullDescription!.text, /Goal, Why, What/);
  });

  it('an empty run is valid too', () => {
    assertSarifShape(toSarif(tool, []));
  });

  it('the schema check catches a broken log (self-check)', () => {
    const broken = JSON.parse(JSON.stringify(log));
    broken.runs[0].results[0].level = 'fatal';
    assert.equal(validateSarif(broken), false);
    delete broken.version;
    assert.equal(validateSarif(broken), false);
  });

  it('percent-encodes path segments', () => {
    assert.equal(pathToUriReference('PRPs/a b/#1?.md'), 'PRPs/a%20b/%231%3F.md');
  });
});
