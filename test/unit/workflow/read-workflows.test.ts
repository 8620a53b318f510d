// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the tests hold literal ${NAME} workflow and shell syntax.
import * as assert from 'node:assert/strict';
import { formatProblem } from '../../../src/core/problems';
import { parseWorkflows, readWorkflows } from '../../../src/core/workflow/read-workflows';
import { OrchestrationFileSchema, type Step } from '../../../src/core/workflow/schema';
import { Workspace } from '../../../src/core/workspace';
import { parseSafeYaml } from '../../../src/core/yaml/safe-yaml';
import { MemoryFileSystem } from '../../support/memory-file-system';

const FULL = `version: 1
workflows:
  feature_complete:
    description: Research, plan, implement and validate
    variables:
      FEATURE_NAME: { description: Short name, required: true }
      BRANCH: { default: main }
    steps:
      - /prp-create $FEATURE_NAME
      - command: /prp-execute PRPs/$FEATURE_NAME.md
        name: Implement
        retry: { maxAttempts: 3, backoff: exponential, initialDelayMs: 1000, maxDelayMs: 30000 }
        timeout: 1h30m
      - parallel:
          - run: npm test
          - run: |
              echo "$FEATURE_NAME"
              git push origin "\${BRANCH}"
            timeout: 600000
      - if: techStack.database === 'postgresql'
        then:
          - run: npm run db:migrate
        else: [ /context-refresh ]
        continueOnError: true
  bug_fix:
    steps:
      - /fix-bug $ISSUE
`;

/** `line:column rule message` of each problem, for compact assertions. */
function problemsOf(text: string): string[] {
  return parseWorkflows(text).problems.map((p) => `${p.line}:${p.column} ${p.message}`);
}

function ids(steps: Step[]): string[] {
  return steps.flatMap((s) => [
    s.id,
    ...(s.kind === 'parallel' ? ids(s.steps) : []),
    ...(s.kind === 'if' ? [...ids(s.thenSteps), ...ids(s.elseSteps)] : []),
  ]);
}

describe('workflows: reading .claude/orchestration.yaml', () => {
  it('normalizes a complete file: kinds, ids, positions, retry, timeouts', () => {
    const r = parseWorkflows(FULL);
    assert.deepEqual(r.problems, []);
    const file = r.value!;
    assert.equal(file.version, 1);
    assert.deepEqual(
      file.workflows.map((w) => w.name),
      ['feature_complete', 'bug_fix'],
    );
    const wf = file.workflows[0]!;
    assert.equal(wf.description, 'Research, plan, implement and validate');
    assert.deepEqual([wf.position.line, wf.position.column], [3, 3]);
    assert.deepEqual(
      wf.variables.map((v) => [v.name, v.required, v.default, v.position.line]),
      [
        ['FEATURE_NAME', true, undefined, 6],
        ['BRANCH', false, 'main', 7],
      ],
    );
    assert.deepEqual(ids(wf.steps), [
      'steps[0]',
      'steps[1]',
      'steps[2]',
      'steps[2].parallel[0]',
      'steps[2].parallel[1]',
      'steps[3]',
      'steps[3].then[0]',
      'steps[3].else[0]',
    ]);
    const [create, execute, parallel, cond] = wf.steps;
    assert.ok(create?.kind === 'command');
    assert.deepEqual(
      [create.command, create.argsText, create.label],
      ['prp-create', '$FEATURE_NAME', '/prp-create $FEATURE_NAME'],
    );
    assert.deepEqual([create.position.line, create.position.column], [9, 9]);
    assert.ok(execute?.kind === 'command');
    assert.equal(execute.label, 'Implement');
    assert.deepEqual(execute.retry, {
      maxAttempts: 3,
      backoff: 'exponential',
      initialDelayMs: 1000,
      maxDelayMs: 30000,
    });
    assert.equal(execute.timeoutMs, 90 * 60_000);
    assert.ok(parallel?.kind === 'parallel');
    const push = parallel.steps[1]!;
    assert.ok(push.kind === 'run');
    assert.equal(push.script, 'echo "$FEATURE_NAME"\ngit push origin "${BRANCH}"\n');
    assert.equal(push.timeoutMs, 600000);
    assert.deepEqual(
      push.uses.map((u) => [u.name, u.position.line, u.position.column]),
      [
        ['FEATURE_NAME', 17, 21],
        ['BRANCH', 18, 32],
      ],
    );
    assert.ok(cond?.kind === 'if');
    assert.equal(cond.condition.expression, "techStack.database === 'postgresql'");
    assert.deepEqual([cond.condition.position.line, cond.condition.position.column], [20, 13]);
    assert.equal(cond.continueOnError, true);
    assert.equal(cond.thenSteps[0]!.kind, 'run');
    assert.equal(cond.elseSteps[0]!.kind, 'command');
  });

  it('agrees with the exported zod schema (the JSON Schema source) on a valid file', () => {
    const raw = parseSafeYaml(FULL, 'o.yaml').value!.value;
    assert.equal(OrchestrationFileSchema.safeParse(raw).success, true);
  });

  it('reads from the project through the port; a missing file is an empty list', async () => {
    const fs = new MemoryFileSystem().mkdirSync('/p');
    const ws = new Workspace('/p', fs);
    assert.deepEqual(await readWorkflows(ws), {
      value: { file: '.claude/orchestration.yaml', workflows: [] },
      problems: [],
    });
    fs.writeFile('/p/.claude/orchestration.yaml', FULL);
    assert.equal((await readWorkflows(ws)).value!.workflows.length, 2);
  });

  it('refuses an orchestration file that is a symlink out of the project', async () => {
    const fs = new MemoryFileSystem().mkdirSync('/p/.claude');
    fs.writeFile('/tmp/evil.yaml', FULL);
    fs.symlink('/tmp/evil.yaml', '/p/.claude/orchestration.yaml');
    const r = await readWorkflows(new Workspace('/p', fs));
    assert.equal(r.value, undefined);
    assert.equal(r.problems[0]!.rule, 'path-outside-project');
  });

  it('explains a step with two kinds, at the second kind key', () => {
    assert.deepEqual(problemsOf('workflows:\n  w:\n    steps:\n      - command: /a\n        run: ls\n'), [
      '5:9 a step can have only one of `command:`, `run:`, `parallel:`, `if:` — this one has `command:` and `run:`; split it into separate steps',
    ]);
  });

  it('suggests the nearest key for a misspelt kind and for unknown keys', () => {
    assert.deepEqual(problemsOf('workflows:\n  w:\n    steps:\n      - comand: /a\n'), [
      '4:9 a step needs one of `command:`, `run:`, `parallel:` or `if:` (did you mean `command:`?)',
    ]);
    assert.deepEqual(problemsOf('workflows:\n  w:\n    steps:\n      - run: ls\n        timout: 3\n'), [
      '5:9 unknown key `timout` in workflows.w.steps[0]; did you mean `timeout`? allowed keys: run, name, retry, timeout, continueOnError',
    ]);
    assert.deepEqual(problemsOf('workflows:\n  w:\n    step:\n      - /a\n'), [
      '3:5 unknown key `step` in workflows.w; did you mean `steps`? allowed keys: description, variables, steps',
      '2:3 workflow `w` has no steps; add `steps:` with at least one step',
    ]);
  });

  it('rejects empty step lists, empty steps and wrong step types', () => {
    assert.deepEqual(problemsOf('workflows:\n  w:\n    steps: []\n'), [
      '3:12 `steps:` is empty; add at least one step',
    ]);
    assert.deepEqual(problemsOf('workflows:\n  w:\n    steps:\n      -\n      - 42\n      - [a]\n'), [
      '4:8 empty step; write a slash command line (e.g. `- /prp-create $FEATURE_NAME`) or a mapping with `command:`, `run:`, `parallel:` or `if:`',
      '5:9 a step must be a slash command line or a mapping, not a number',
      '6:9 a step cannot be a list; to run steps at the same time write `- parallel:` followed by the list',
    ]);
    assert.deepEqual(problemsOf('workflows:\n  w:\n    steps:\n      - parallel: []\n'), [
      '4:19 `parallel:` is empty; list the steps to run at the same time',
    ]);
  });

  it('points a plain shell line to run:', () => {
    assert.deepEqual(problemsOf('workflows:\n  w:\n    steps:\n      - npm test\n'), [
      '4:9 a slash command line starts with `/` and a command name, e.g. `/prp-create user-auth`; to run a shell command write `run: <command>` instead',
    ]);
  });

  it('checks if/then/else structure', () => {
    assert.deepEqual(problemsOf('workflows:\n  w:\n    steps:\n      - if: a\n'), [
      '4:9 an `if:` step needs `then:` with the steps to run when the condition holds',
    ]);
    assert.deepEqual(problemsOf('workflows:\n  w:\n    steps:\n      - run: ls\n        then: [/a]\n'), [
      '5:9 `then:` belongs to an `if:` step; move it there or remove it',
    ]);
    assert.deepEqual(problemsOf('workflows:\n  w:\n    steps:\n      - then: [/a]\n'), [
      '4:9 a step needs one of `command:`, `run:`, `parallel:` or `if:`; `then:`/`else:` need an `if:` condition',
    ]);
    assert.deepEqual(
      problemsOf("workflows:\n  w:\n    steps:\n      - if: ''\n        then: [/a]\n        else: []\n"),
      ['4:13 workflows.w.steps[0].if: must not be empty; write the condition'],
    );
  });

  it('reports wrong value types and bounds at the value', () => {
    const text =
      'workflows:\n  w:\n    steps:\n      - run: ls\n        retry: { maxAttempts: three, backoff: linear }\n        timeout: 10 minutes\n        continueOnError: "yes"\n';
    assert.deepEqual(problemsOf(text), [
      '5:31 workflows.w.steps[0].retry.maxAttempts must be a number, not the text "three"',
      '5:47 workflows.w.steps[0].retry.backoff must be one of "exponential", "fixed", not the text "linear"',
      '6:18 workflows.w.steps[0].timeout: must be a duration such as "500ms", "30s", "10m" or "1h30m", or a whole number of milliseconds',
      '7:26 workflows.w.steps[0].continueOnError must be a boolean, not the text "yes"',
    ]);
    assert.deepEqual(
      problemsOf(
        'workflows:\n  w:\n    steps:\n      - run: ls\n        retry: { initialDelayMs: 5000, maxDelayMs: 100 }\n',
      ),
      ['5:52 maxDelayMs (100) is smaller than initialDelayMs (5000); raise it or lower initialDelayMs'],
    );
    assert.deepEqual(problemsOf('workflows:\n  w:\n    steps:\n      - run: ls\n        retry: { maxAttempts: 0 }\n'), [
      '5:31 workflows.w.steps[0].retry.maxAttempts must be at least 1',
    ]);
  });

  it('checks the top level', () => {
    assert.deepEqual(problemsOf(''), [
      '1:1 the workflows file is empty; add a `workflows:` mapping (see the documentation for an example)',
    ]);
    assert.deepEqual(problemsOf('- a\n'), ['1:1 the workflows file must be a mapping with a `workflows:` key']);
    assert.deepEqual(problemsOf('version: 2\nworkflow: {}\n'), [
      '1:10 version: must be 1 (or left out)',
      '2:1 unknown key `workflow`; did you mean `workflows`? allowed keys: version, workflows',
      '1:1 add a `workflows:` mapping: each key is a workflow name, each value has `steps:`',
    ]);
    assert.deepEqual(problemsOf('workflows: [a]\n'), [
      '1:12 `workflows:` must be a mapping of workflow names to workflows, e.g. `build: { steps: [...] }`',
    ]);
  });

  it('rejects bad and reserved workflow and variable names', () => {
    const text = `workflows:
  __proto__: { steps: [/a] }
  constructor: { steps: [/a] }
  1st: { steps: [/a] }
  ok:
    variables:
      lower: {}
      PATH: {}
      LD_PRELOAD: {}
      GOOD: { required: true, default: x }
      ALSO: { defualt: x }
    steps: [/a]
`;
    assert.deepEqual(problemsOf(text), [
      '2:3 `__proto__` cannot be a workflow name (it is reserved); rename the workflow',
      '3:3 `constructor` cannot be a workflow name (it is reserved); rename the workflow',
      '4:3 workflow name `1st` is not allowed: use letters, digits, `_` and `-`, starting with a letter',
      '7:7 variable name `lower` is not allowed: variable names are UPPER_SNAKE_CASE (e.g. FEATURE_NAME)',
      '8:7 `PATH` cannot be a workflow variable: the shell, the system or this tool gives it a meaning (it would be exported to run: steps); choose another name, e.g. APP_PATH',
      '9:7 `LD_PRELOAD` cannot be a workflow variable: the shell, the system or this tool gives it a meaning (it would be exported to run: steps); choose another name, e.g. APP_PRELOAD',
      '10:15 variable GOOD is required and also has a default, so the default is never used; remove one of them',
      '11:15 unknown key `defualt` in workflows.ok.variables.ALSO; did you mean `default`? allowed keys: description, default, required',
    ]);
  });

  it('rejects reserved variable names referenced by command lines', () => {
    assert.deepEqual(problemsOf('workflows:\n  w:\n    steps:\n      - /deploy $PATH\n'), [
      '4:17 `PATH` cannot be a workflow variable: the shell, the system or this tool gives it a meaning (it would be exported to run: steps); choose another name, e.g. APP_PATH',
    ]);
  });

  it('rejects command lines whose arguments cannot be split', () => {
    assert.deepEqual(problemsOf('workflows:\n  w:\n    steps:\n      - command: /fix "unclosed\n'), [
      '4:18 the argument text has an unterminated quote; close the quote (or escape it with \\) so the arguments can be split',
    ]);
  });

  it('flags invisible characters: errors inside run/command/if, warnings elsewhere', () => {
    const text = `workflows:\n  w:\n    description: "zero\u200bwidth"\n    steps:\n      - run: echo safe \u202e; rm -rf ~\n      - /prp-create x\u2066y\n      - if: a \u200d== b\n        then: [/a]\n`;
    const r = parseWorkflows(text);
    assert.equal(r.value, undefined);
    assert.deepEqual(
      r.problems.map((p) => `${p.line}:${p.column} ${p.severity} ${p.rule}`),
      [
        '3:23 warning hidden-unicode',
        '5:24 error hidden-unicode',
        '6:22 error hidden-unicode',
        '7:15 error hidden-unicode',
      ],
    );
    assert.match(r.problems[1]!.message, /U\+202E RIGHT-TO-LEFT OVERRIDE in this run: script/);
    assert.match(r.problems[2]!.message, /in this command line/);
    assert.match(r.problems[3]!.message, /in this if: condition/);
  });

  it('rejects an if: condition that cannot be evaluated when the file is read, not when the step is reached', () => {
    const [first, second] = problemsOf(
      "workflows:\n  w:\n    steps:\n      - if: \"techStack.database === 'x' || process.exit()\"\n        then: [/a]\n      - if: $FLAG == 'on' &&\n        then: [/b]\n",
    );
    assert.match(first!, /^4:13 this condition cannot be evaluated: unexpected "\(" .* at column 43 of the condition/);
    assert.match(second!, /^6:13 this condition cannot be evaluated: /);
    assert.deepEqual(
      problemsOf("workflows:\n  w:\n    steps:\n      - if: $FLAG == 'on' && !(a.b)\n        then: [/a]\n"),
      [],
    );
  });

  it('rejects control characters (NUL, ESC) in what runs, with their position', () => {
    const r = parseWorkflows('workflows:\n  w:\n    steps:\n      - run: echo a\u0000b\n      - /fix x\u001b[2Jy\n');
    assert.equal(r.value, undefined);
    assert.deepEqual(
      r.problems.map((p) => `${p.line}:${p.column} ${p.severity} ${p.message.slice(0, 40)}`),
      ['4:20 error control character U+0000 in this run: sc', '5:15 error control character U+001B in this command'],
    );
  });

  it('formats problems as path:line:column: error: message', () => {
    const p = parseWorkflows('workflows:\n  w:\n    steps: []\n').problems[0]!;
    assert.equal(formatProblem(p), '.claude/orchestration.yaml:3:12: error: `steps:` is empty; add at least one step');
  });
});
