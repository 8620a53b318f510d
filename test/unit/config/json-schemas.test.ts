import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { jsonSchemas } from '../../../src/core/config/json-schemas';
import { parseSafeYaml } from '../../../src/core/yaml/safe-yaml';

const ROOT = path.resolve(__dirname, '../../..');

function validator(name: string) {
  const schema = jsonSchemas()[name] as Record<string, unknown>;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  return ajv.compile(schema);
}

const yaml = (text: string) => parseSafeYaml(text, 'o.yaml').value!.value;

describe('JSON Schemas for editors', () => {
  it('emits orchestration and settings schemas (draft 2020-12) with titles', () => {
    const all = jsonSchemas();
    assert.deepEqual(Object.keys(all).sort(), ['orchestration', 'settings']);
    for (const s of Object.values(all) as Record<string, unknown>[]) {
      assert.equal(s.$schema, 'https://json-schema.org/draft/2020-12/schema');
      assert.equal(typeof s.title, 'string');
    }
  });

  it('the build wrote them to schemas/ (as committed)', () => {
    for (const [name, schema] of Object.entries(jsonSchemas())) {
      const written = JSON.parse(readFileSync(path.join(ROOT, 'schemas', `${name}.schema.json`), 'utf8'));
      assert.deepEqual(
        written,
        JSON.parse(JSON.stringify(schema)),
        `schemas/${name}.schema.json is stale: run npm run build`,
      );
    }
  });

  it('orchestration schema accepts a valid workflows file and rejects the mistakes the reader rejects', () => {
    const validate = validator('orchestration');
    const ok = yaml(`version: 1
workflows:
  feature:
    description: d
    variables: { NAME: { default: x, required: false } }
    steps:
      - /prp-create $NAME
      - command: /prp-execute x
        retry: { maxAttempts: 2, backoff: fixed }
        timeout: 1h30m
      - parallel: [ { run: npm test, continueOnError: true }, /a ]
      - if: a == b
        then: [ /a ]
        else: [ { run: ls, timeout: 500 } ]
`);
    assert.equal(validate(ok), true, JSON.stringify(validate.errors));
    const bad = [
      'workflows: { w: { steps: [] } }',
      'workflows: { w: { steps: [ npm test ] } }',
      'workflows: { w: { steps: [ { run: ls, retries: 3 } ] } }',
      'workflows: { w: { steps: [ { command: /a, run: ls } ] } }',
      'workflows: { w: { steps: [ { run: ls, timeout: 10 minutes } ] } }',
      'workflows: { w: { steps: [ { if: a, else: [/b] } ] } }',
      'workflows: { w: { variables: { lower: {} }, steps: [/a] } }',
      'workflows: { 1w: { steps: [/a] } }',
      'workflow: {}',
    ];
    for (const text of bad) assert.equal(validate(yaml(text)), false, text);
  });

  it('settings schema accepts Claude Code keys and a valid orchestration block, rejects bad values', () => {
    const validate = validator('settings');
    const ok = {
      permissions: { allow: ['Bash(npm test:*)'] },
      env: { A: '1' },
      orchestration: {
        defaultTemplate: 'prp_base',
        validationLevel: 'strict',
        maxConcurrent: 4,
        contextRefreshInterval: '30m',
        autofix: { syntax: true },
        validation: { mandatory: ['syntax'], stopOnFailure: true },
        retry: { maxAttempts: 3, onRetry: { syntax: '/fix-syntax-errors', test: null } },
        hooks: { onFileChange: [{ command: '/context-refresh', paths: ['src/**'] }], onDeploy: '/deploy-checklist' },
      },
    };
    assert.equal(validate(ok), true, JSON.stringify(validate.errors));
    const bad = [
      { orchestration: { maxConcurrent: 0 } },
      { orchestration: { validationLevel: 'paranoid' } },
      { orchestration: { retry: { onRetry: { flaky: '/x' } } } },
      { orchestration: { retry: { onRetry: { test: 'npm test' } } } },
      { orchestration: { unknown: true } },
      { orchestration: { contextRefreshInterval: 'soon' } },
    ];
    for (const value of bad) assert.equal(validate(value), false, JSON.stringify(value));
  });
});
