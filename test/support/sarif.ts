/** Checks a SARIF log: the properties SARIF 2.1.0 requires (by hand), then the official JSON schema. */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv-draft-04';

/** The official SARIF 2.1.0 JSON schema, as shipped in @microsoft/jest-sarif (no network needed). */
const SCHEMA = JSON.parse(
  readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
) as object;

// unicodeRegExp: false because the schema's `language` pattern is not a valid `u`-flag regular expression.
export const validateSarif = new Ajv({
  allErrors: true,
  strict: false,
  validateFormats: false,
  unicodeRegExp: false,
}).compile(SCHEMA);

/** The properties SARIF 2.1.0 requires, checked by hand (the schema leaves most of them optional). */
export function assertSarifShape(log: unknown): void {
  // biome-ignore lint/suspicious/noExplicitAny: probing the shape of untyped JSON
  const l = log as Record<string, any>;
  assert.equal(l.version, '2.1.0');
  assert.equal(typeof l.$schema, 'string');
  assert.ok(Array.isArray(l.runs) && l.runs.length === 1);
  const run = l.runs[0];
  assert.equal(typeof run.tool.driver.name, 'string');
  assert.match(run.tool.driver.informationUri, /^https:\/\//);
  assert.ok(Array.isArray(run.tool.driver.rules));
  for (const rule of run.tool.driver.rules) {
    assert.equal(typeof rule.id, 'string');
    assert.equal(typeof rule.shortDescription.text, 'string');
  }
  assert.ok(Array.isArray(run.results));
  for (const r of run.results) {
    assert.equal(typeof r.ruleId, 'string');
    assert.ok(['error', 'warning', 'note', 'none'].includes(r.level));
    assert.equal(typeof r.message.text, 'string');
    assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
    const loc = r.locations[0].physicalLocation;
    assert.equal(typeof loc.artifactLocation.uri, 'string');
    assert.ok(Number.isInteger(loc.region.startLine) && loc.region.startLine >= 1);
    assert.ok(Number.isInteger(loc.region.startColumn) && loc.region.startColumn >= 1);
  }
  const ok = validateSarif(log);
  assert.ok(ok, JSON.stringify(validateSarif.errors, null, 2));
}
