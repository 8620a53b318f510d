import * as assert from 'node:assert/strict';
import {
  DEFAULT_ORCHESTRATION_SETTINGS,
  defaultOrchestrationSettings,
  parseSettings,
  readSettings,
  SETTINGS_FILE,
  SettingsFileSchema,
} from '../../../src/core/config/settings';
import { hasErrors } from '../../../src/core/problems';
import { Workspace } from '../../../src/core/workspace';
import { MemoryFileSystem } from '../../support/memory-file-system';

const problemsOf = (text: string) => parseSettings(text).problems.map((p) => `${p.line}:${p.column} ${p.message}`);

describe('settings: .claude/settings.local.json', () => {
  it('gives the documented defaults when the file is missing', async () => {
    const fs = new MemoryFileSystem().mkdirSync('/p');
    const r = await readSettings(new Workspace('/p', fs));
    assert.deepEqual(r.problems, []);
    assert.equal(r.value!.exists, false);
    assert.deepEqual(r.value!.orchestration, {
      defaultTemplate: 'prp_base',
      validationLevel: 'standard',
      parallelExecution: true,
      maxConcurrent: 3,
      contextRefreshIntervalMs: 1_800_000,
      autofix: { syntax: true, tests: true, security: false },
      validation: { mandatory: ['syntax', 'unit'], recommended: ['integration', 'domain'], stopOnFailure: true },
      retry: {
        maxAttempts: 3,
        backoff: 'exponential',
        initialDelayMs: 1000,
        maxDelayMs: 30000,
        onRetry: { syntax: '/fix-syntax-errors', test: '/fix-failing-tests' },
      },
      hooks: { onFileChange: [], onTestFail: [], onDeploy: [] },
      agent: {},
    });
    assert.deepEqual(defaultOrchestrationSettings(), DEFAULT_ORCHESTRATION_SETTINGS);
    assert.ok(Object.isFrozen(DEFAULT_ORCHESTRATION_SETTINGS));
  });

  it('leaves Claude Code keys alone and uses defaults without an orchestration block', () => {
    const r = parseSettings(
      JSON.stringify({ permissions: { allow: ['Bash(npm test:*)'], deny: 'not validated' }, env: { X: 1 }, hooks: 42 }),
    );
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.value!.otherKeys, ['permissions', 'env', 'hooks']);
    assert.deepEqual(r.value!.orchestration, defaultOrchestrationSettings());
  });

  it('reads every field, merging onRetry over the defaults (null turns one off)', () => {
    const text = JSON.stringify(
      {
        permissions: {},
        orchestration: {
          defaultTemplate: 'prp_spec',
          validationLevel: 'strict',
          parallelExecution: false,
          maxConcurrent: 5,
          contextRefreshInterval: '1h',
          autofix: { security: true },
          validation: { stopOnFailure: false },
          retry: { maxAttempts: 5, backoff: 'fixed', onRetry: { lint: '/fix-lint', syntax: null } },
          hooks: {
            onFileChange: { command: '/context-refresh', paths: ['src/**'], debounceMs: 500 },
            onTestFail: ['/fix-failing-tests', { run: 'npm run report' }],
            onDeploy: '/deploy-checklist',
          },
        },
      },
      null,
      2,
    );
    const r = parseSettings(text);
    assert.deepEqual(r.problems, []);
    const o = r.value!.orchestration;
    assert.equal(o.defaultTemplate, 'prp_spec');
    assert.equal(o.validationLevel, 'strict');
    assert.equal(o.parallelExecution, false);
    assert.equal(o.maxConcurrent, 5);
    assert.equal(o.contextRefreshIntervalMs, 3_600_000);
    assert.deepEqual(o.autofix, { syntax: true, tests: true, security: true });
    assert.deepEqual(o.validation, {
      mandatory: ['syntax', 'unit', 'integration', 'domain'],
      recommended: [],
      stopOnFailure: false,
    });
    assert.deepEqual(o.retry, {
      maxAttempts: 5,
      backoff: 'fixed',
      initialDelayMs: 1000,
      maxDelayMs: 30000,
      onRetry: { test: '/fix-failing-tests', lint: '/fix-lint' },
    });
    assert.deepEqual(o.hooks, {
      onFileChange: [{ kind: 'command', line: '/context-refresh', paths: ['src/**'], debounceMs: 500 }],
      onTestFail: [
        { kind: 'command', line: '/fix-failing-tests', paths: [], debounceMs: 1500 },
        { kind: 'run', script: 'npm run report', paths: [], debounceMs: 1500 },
      ],
      onDeploy: [{ kind: 'command', line: '/deploy-checklist', paths: [], debounceMs: 1500 }],
    });
  });

  it('derives validation levels from the preset unless written', () => {
    const basic = parseSettings('{"orchestration": {"validationLevel": "basic"}}').value!.orchestration.validation;
    assert.deepEqual([basic.mandatory, basic.recommended], [['syntax'], ['unit']]);
    const mixed = parseSettings(
      '{"orchestration": {"validationLevel": "strict", "validation": {"recommended": ["domain"]}}}',
    ).value!.orchestration.validation;
    assert.deepEqual([mixed.mandatory, mixed.recommended], [['syntax', 'unit', 'integration'], ['domain']]);
    const explicit = parseSettings('{"orchestration": {"validation": {"mandatory": ["unit"]}}}').value!.orchestration
      .validation;
    assert.deepEqual([explicit.mandatory, explicit.recommended], [['unit'], ['integration', 'domain']]);
  });

  it("reports invalid values at their position and falls back to that field's default", () => {
    const text = `{
  "orchestration": {
    "maxConcurrent": 0,
    "validationLevel": "paranoid",
    "contextRefreshInterval": "soon",
    "autofix": { "syntax": "yes" },
    "retry": { "maxAttempts": 3, "onRetry": { "flaky": "/x", "test": "npm test" } },
    "hooks": { "onDeploy": { "command": "/a", "run": "b" } },
    "validation": { "mandatory": ["unit"], "recommended": ["unit"] },
    "maxConcurent": 4
  }
}`;
    const r = parseSettings(text);
    assert.ok(hasErrors(r.problems));
    assert.deepEqual(r.value!.orchestration, defaultOrchestrationSettings());
    assert.deepEqual(
      r.problems.map((p) => `${p.line}:${p.column} ${p.message}`),
      [
        '10:5 unknown key `maxConcurent` in orchestration; did you mean `maxConcurrent`? allowed keys: defaultTemplate, validationLevel, parallelExecution, maxConcurrent, contextRefreshInterval, autofix, validation, retry, hooks, agent',
        '4:24 orchestration.validationLevel must be one of "basic", "standard", "strict", not the text "paranoid" (the default validationLevel applies)',
        '3:22 orchestration.maxConcurrent must be at least 1 (the default maxConcurrent applies)',
        '5:31 orchestration.contextRefreshInterval: must be a duration such as "30m" or "1h", a number of milliseconds, or 0 to turn it off (the default contextRefreshInterval applies)',
        '6:28 orchestration.autofix.syntax must be a boolean, not the text "yes" (the default autofix applies)',
        '9:19 orchestration.validation: a level cannot be both mandatory and recommended (the default validation applies)',
        '7:70 orchestration.retry.onRetry.test: must be a slash command line such as "/fix-failing-tests" (the default retry applies)',
        '7:47 unknown key `flaky` in orchestration.retry.onRetry; allowed keys: syntax, type, lint, test, timeout, crash, other (the default retry applies)',
        '8:28 orchestration.hooks.onDeploy: a hook needs exactly one of `command:` (a slash command) or `run:` (a shell script) (the default hooks applies)',
      ],
    );
  });

  it('reports retry delays that contradict each other', () => {
    assert.deepEqual(problemsOf('{"orchestration": {"retry": {"initialDelayMs": 5000, "maxDelayMs": 10}}}'), [
      '1:68 retry.maxDelayMs (10) is smaller than initialDelayMs (5000); raise it (the default retry applies)',
    ]);
  });

  it('reports JSON errors with positions, and a non-object file or block', () => {
    assert.deepEqual(problemsOf('{\n  "orchestration": {\n    // comment\n  }\n}'), [
      '3:5 comments are not allowed in this JSON file (Claude Code reads it as plain JSON); remove the comment',
    ]);
    assert.deepEqual(problemsOf('[1]'), ['1:1 the settings file must hold a JSON object { … }']);
    assert.deepEqual(problemsOf('{"orchestration": true}'), [
      '1:19 `orchestration` must be an object { … }; the defaults apply',
    ]);
  });

  it('reads through the port, refusing a settings file that links out of the project', async () => {
    const fs = new MemoryFileSystem().mkdirSync('/p/.claude');
    fs.writeFile('/p/.claude/settings.local.json', '{"orchestration": {"maxConcurrent": 7}}');
    const ws = new Workspace('/p', fs);
    const r = await readSettings(ws);
    assert.equal(r.value!.exists, true);
    assert.equal(r.value!.orchestration.maxConcurrent, 7);
    await fs.remove(`/p/${SETTINGS_FILE}`);
    fs.writeFile('/home/user/evil.json', '{"orchestration": {"maxConcurrent": 9}}');
    fs.symlink('/home/user/evil.json', `/p/${SETTINGS_FILE}`);
    const escaped = await readSettings(ws);
    assert.equal(escaped.value!.orchestration.maxConcurrent, 3);
    assert.equal(escaped.problems[0]!.rule, 'path-outside-project');
  });

  it('agrees with the exported zod schema on valid and invalid blocks', () => {
    assert.equal(SettingsFileSchema.safeParse({ permissions: {}, orchestration: { maxConcurrent: 4 } }).success, true);
    assert.equal(SettingsFileSchema.safeParse({ orchestration: { maxConcurrent: 0 } }).success, false);
    assert.equal(SettingsFileSchema.safeParse({ orchestration: { nope: 1 } }).success, false);
  });
});

describe('settings: agent model defaults', () => {
  it('reads model, maxTokens, temperature and maxTurns; refuses keys and base URLs there', () => {
    const ok = parseSettings(
      JSON.stringify({
        orchestration: { agent: { model: 'claude-sonnet-5-5', maxTokens: 8000, temperature: 0.2, maxTurns: 30 } },
      }),
    );
    assert.deepEqual(ok.problems, []);
    assert.deepEqual(ok.value?.orchestration.agent, {
      model: 'claude-sonnet-5-5',
      maxTokens: 8000,
      temperature: 0.2,
      maxTurns: 30,
    });
    const bad = parseSettings(
      JSON.stringify(
        { orchestration: { agent: { apiKey: 'sk-ant-x', baseURL: 'http://evil', temperature: 3 } } },
        null,
        2,
      ),
    );
    assert.ok(bad.problems.some((p) => /apiKey|baseURL/.test(p.message) && p.line > 1));
    assert.deepEqual(bad.value?.orchestration.agent, {}, 'an invalid block falls back to the defaults');
  });
});
