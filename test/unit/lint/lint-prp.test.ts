import * as assert from 'node:assert/strict';
import { type LintReport, lintPrp } from '../../../src/core/lint';
import { emptyTechStack } from '../../../src/core/project/facts';
import { fixture } from '../../support/fixtures';
import { type FileSpec, makeProject, packageJson, type TestProject } from '../../support/project';

/** The files `complete-ts.md` refers to. */
function completeProject(extra: Record<string, FileSpec> = {}): TestProject {
  return makeProject({
    'package.json': packageJson(
      { lint: 'biome check .', typecheck: 'tsc --noEmit', test: 'mocha' },
      { typescript: '^5.0.0' },
    ),
    'node_modules/.bin/tsc': { content: '#!/bin/sh\n', executable: true },
    'packages/api/package.json': packageJson({ test: 'mocha' }),
    'src/http/router.ts': 'export {};\n',
    'src/http/middleware/auth.ts': 'export {};\n',
    'PRPs/ai_docs/express-middleware.md': '# Middleware\n',
    'scripts/smoke.sh': { content: '#!/bin/sh\n', executable: true },
    Makefile: '.PHONY: check\ncheck:\n\tnpm test\n',
    'PRPs/rate-limit.md': fixture('complete-ts.md'),
    ...extra,
  });
}

type Row = [number, number, string, string];

function rows(report: LintReport): Row[] {
  return report.problems.map((p) => [p.line, p.column, p.rule, p.severity]);
}

function rules(report: LintReport): string[] {
  return report.problems.map((p) => p.rule);
}

/** Lints one PRP text in a project that has the given files (and npm/npx/… on its PATH). */
async function lintText(text: string, files: Record<string, FileSpec> = {}, programs?: string[]): Promise<LintReport> {
  const project = makeProject({ 'PRPs/x.md': text, ...files }, programs);
  try {
    return await lintPrp(project.workspace, 'PRPs/x.md', { programs: project.programs });
  } finally {
    project.cleanup();
  }
}

/** A minimal valid base PRP around the given validation commands and extra content. */
function prp(commands: string[], more = ''): string {
  return [
    '# PRP: t',
    '',
    '## Goal',
    '',
    'Do the thing.',
    '',
    '## Why',
    '',
    'Because.',
    '',
    '## What',
    '',
    'The thing.',
    '',
    '## All Needed Context',
    '',
    'Nothing else.',
    '',
    '## Implementation Blueprint',
    '',
    'Write it.',
    '',
    '## Validation Loop',
    '',
    '### Level 1: Checks',
    '',
    '```bash',
    ...commands,
    '```',
    '',
    more,
  ].join('\n');
}

describe('lint', () => {
  it('passes a complete PRP without a single problem', async () => {
    const project = completeProject();
    try {
      const report = await lintPrp(project.workspace, 'PRPs/rate-limit.md', { programs: project.programs });
      assert.equal(report.fatal, false);
      assert.deepEqual(report.problems, []);
      assert.equal(report.file, 'PRPs/rate-limit.md');
    } finally {
      project.cleanup();
    }
  });

  it('reports the unfilled placeholders of a template (and nothing is fatal)', async () => {
    const project = completeProject({ 'PRPs/templates/prp.md': fixture('template-v3.md') });
    try {
      const report = await lintPrp(project.workspace, 'PRPs/templates/prp.md', { programs: project.programs });
      const placeholders = report.problems.filter((p) => p.rule === 'placeholder-unresolved');
      assert.equal(placeholders.length, 22);
      assert.deepEqual(
        placeholders.slice(0, 3).map((p) => [p.line, p.column, p.message]),
        [
          [8, 19, 'unfilled placeholder "[Concrete end state of what gets built]": replace it with the real content'],
          [
            10,
            18,
            'unfilled placeholder "[The artifact - endpoint, module, command, job]": replace it with the real content',
          ],
          [
            12,
            25,
            'unfilled placeholder "[How anyone can tell it is done and working]": replace it with the real content',
          ],
        ],
      );
      assert.ok(
        placeholders.some((p) => p.line === 69 && p.column === 22 && /"\{domain\}" in a gate command/.test(p.message)),
      );
      assert.ok(placeholders.some((p) => p.line === 36 && p.column === 9 && /in a file: reference/.test(p.message)));
      assert.ok(placeholders.some((p) => p.line === 47 && p.column === 14 && /in a code comment/.test(p.message)));
      // A placeholder reference is not also reported as a missing file.
      assert.ok(!rules(report).includes('context-file-missing'));
    } finally {
      project.cleanup();
    }
  });

  describe('required sections', () => {
    it('reports each missing section of a base PRP', async () => {
      const report = await lintText(
        '# t\n\n## Goal\n\nx\n\n## Validation Loop\n\n### Level 1: a\n\n```bash\nnpm -v\n```\n',
      );
      assert.deepEqual(
        report.problems.filter((p) => p.rule === 'prp-missing-section').map((p) => [p.line, p.column, p.message]),
        [
          [1, 1, 'missing section "## Why" (required in a base PRP)'],
          [1, 1, 'missing section "## What (with ### Success Criteria)" (required in a base PRP)'],
          [1, 1, 'missing section "## All Needed Context" (required in a base PRP)'],
          [1, 1, 'missing section "## Implementation Blueprint" (required in a base PRP)'],
        ],
      );
    });

    it('accepts the v2 and v3 spellings and the story sections', async () => {
      for (const name of ['v2-user-export.md', 'v3-webhook-retries.md', 'story-dark-mode.md']) {
        const report = await lintText(fixture(name));
        assert.ok(!rules(report).includes('prp-missing-section'), `${name}: ${JSON.stringify(rules(report))}`);
      }
    });

    it('reports what a story PRP lacks', async () => {
      const report = await lintText(
        '---\nname: s\n---\n\n## Original Story\n\nx\n\n## IMPLEMENTATION TASKS\n\n### CREATE a.ts:\n\n- x\n',
      );
      assert.deepEqual(
        report.problems.filter((p) => p.rule === 'prp-missing-section').map((p) => p.message),
        [
          'missing section "## CONTEXT REFERENCES" (required in a story PRP)',
          'missing section "## Validation Loop" (required in a story PRP)',
        ],
      );
    });

    it('warns about an empty required section', async () => {
      const text = prp(['npm -v']).replace('Because.', '');
      const report = await lintText(text);
      assert.deepEqual(
        report.problems.filter((p) => p.rule === 'prp-empty-section').map((p) => [p.line, p.severity]),
        [[7, 'warning']],
      );
    });
  });

  describe('validation loop', () => {
    it('needs at least one level with commands', async () => {
      const none = await lintText(prp([]).replace(/### Level 1: Checks\n\n```bash\n```/, 'Run the tests.'));
      assert.deepEqual(
        none.problems.map((p) => [p.line, p.rule]),
        [[23, 'prp-no-validation-commands']],
      );
      const empty = await lintText(prp([]));
      assert.deepEqual(rows(empty), [
        [23, 1, 'prp-no-validation-commands', 'error'],
        [25, 1, 'prp-level-without-commands', 'warning'],
      ]);
      assert.deepEqual(rows(await lintText(prp(['npm -v']))), []);
    });
  });

  describe('gate programs', () => {
    it('finds programs on PATH, builtins, and reports the missing ones at their column', async () => {
      const report = await lintText(prp(['cd src && echo ok', 'curl -f http://x | jq .', 'ruff check . && mypy src']));
      assert.deepEqual(rows(report), [
        [30, 1, 'gate-program-not-found', 'error'],
        [30, 17, 'gate-program-not-found', 'error'],
      ]);
      assert.match(report.problems[0]!.message, /"ruff" is not on PATH/);
    });

    it('a file on PATH without the executable bit is not a program', async () => {
      assert.deepEqual(rules(await lintText(prp(['not-executable --version']))), ['gate-program-not-found']);
    });

    it('checks wrappers and looks through them', async () => {
      assert.deepEqual(rules(await lintText(prp(['timeout 60 env CI=1 npm -v']), {}, ['npm', 'timeout', 'env'])), []);
      const report = await lintText(prp(['nice -n 5 ruff check .']), {}, ['npm']);
      assert.deepEqual(
        report.problems.map((p) => [p.column, p.message]),
        [
          [1, '"nice" is not on PATH: install it, or use a script of the project'],
          [11, '"ruff" is not on PATH: install it, or use a script of the project'],
        ],
      );
    });

    it('looks into sh -c payloads', async () => {
      assert.deepEqual(rules(await lintText(prp(["sh -c 'ruff check .'"]), {}, ['sh', 'npm'])), [
        'gate-program-not-found',
      ]);
    });

    it('a program only in node_modules/.bin is a warning', async () => {
      const report = await lintText(prp(['tsc --noEmit']), {
        'node_modules/.bin/tsc': { content: '', executable: true },
      });
      assert.deepEqual(rows(report), [[28, 1, 'gate-program-not-found', 'warning']]);
      assert.match(report.problems[0]!.message, /run it as "npx tsc"/);
    });

    it('project files: must exist inside the project and be executable', async () => {
      const report = await lintText(
        prp([
          './scripts/ok.sh',
          './scripts/plain.sh',
          'scripts/none.sh --all',
          '../outside.sh',
          './scripts/link.sh',
          '/bin/sh -c true',
        ]),
        {
          'scripts/ok.sh': { content: '#!/bin/sh\n', executable: true },
          'scripts/plain.sh': '#!/bin/sh\n',
          'scripts/link.sh': { symlink: '/bin/sh' },
        },
      );
      assert.deepEqual(
        report.problems.map((p) => [p.line, p.rule]),
        [
          [29, 'gate-program-not-executable'],
          [30, 'gate-program-not-found'],
          [31, 'gate-program-outside-project'],
          [32, 'gate-program-outside-project'],
        ],
      );
      assert.match(report.problems[0]!.message, /chmod \+x scripts\/plain\.sh/);
    });

    it('a script that a task of the PRP creates is fine', async () => {
      const tasks = '## Implementation Blueprint\n\n```yaml\nTask 1: CREATE scripts/new.sh\n  - IMPLEMENT: it\n```\n';
      const text = prp(['./scripts/new.sh']).replace('## Implementation Blueprint\n\nWrite it.\n', tasks);
      assert.deepEqual(rules(await lintText(text)), []);
    });

    it('package scripts: npm run, npm test, pnpm, yarn — in the directory after cd', async () => {
      const files = {
        'package.json': packageJson({ lint: 'x', test: 'y' }),
        'web/package.json': packageJson({ build: 'z' }),
      };
      const ok = await lintText(
        prp([
          'npm run lint',
          'npm test',
          'npm t',
          'pnpm lint',
          'yarn test',
          'cd web && npm run build',
          'npm ci',
          'npm run nope --if-present',
        ]),
        files,
      );
      assert.deepEqual(rows(ok), []);
      const bad = await lintText(
        prp(['npm run build', 'pnpm run deploy', 'yarn e2e', 'cd web && npm test', 'npm start']),
        files,
      );
      assert.deepEqual(
        bad.problems.map((p) => [p.line, p.column, p.rule]),
        [
          [28, 9, 'gate-script-missing'],
          [29, 10, 'gate-script-missing'],
          [30, 6, 'gate-script-missing'],
          [31, 15, 'gate-script-missing'],
          [32, 5, 'gate-script-missing'],
        ],
      );
      assert.match(bad.problems[0]!.message, /package\.json has no "build" script \(it has: lint, test\)/);
      const none = await lintText(prp(['npm run lint']));
      assert.match(none.problems[0]!.message, /needs a package\.json in the project root/);
    });

    it('npx: installed, on PATH or declared is fine; otherwise a download warning', async () => {
      const files: Record<string, FileSpec> = {
        'package.json': packageJson({}, { typescript: '^5', eslint: '^9' }),
        'node_modules/.bin/tsc': { content: '', executable: true },
      };
      assert.deepEqual(
        rows(
          await lintText(
            prp(['npx tsc --noEmit', 'npx eslint .', 'npx -p typescript tsc', 'npx jq', 'npx -y eslint@9 .']),
            files,
          ),
        ),
        [],
      );
      const report = await lintText(prp(['npx cowsay hi']), files);
      assert.deepEqual(rows(report), [[28, 5, 'gate-npx-download', 'warning']]);
    });

    it('the package manager itself must be on PATH', async () => {
      assert.deepEqual(
        rules(await lintText(prp(['pnpm lint']), { 'package.json': packageJson({ lint: 'x' }) }, ['npm'])),
        ['gate-program-not-found'],
      );
    });

    it('make: a Makefile is needed; an unknown target is a warning', async () => {
      assert.deepEqual(rules(await lintText(prp(['make test']))), ['gate-program-not-found']);
      const files = { Makefile: 'VAR := 1\n.PHONY: lint\nlint test: deps\n\t@true\nbuild::\n\t@true\n' };
      assert.deepEqual(rows(await lintText(prp(['make lint test build', 'make -j4 VAR=2 lint']), files)), []);
      assert.deepEqual(rows(await lintText(prp(['make deploy']), files)), [
        [28, 6, 'gate-make-target-missing', 'warning'],
      ]);
    });

    it('uv run: the program in .venv, on PATH or named in pyproject.toml', async () => {
      const ok = await lintText(
        prp(['uv run pytest -q', 'uv run python -m mypy src', 'uv run --with rich ruff check .', 'uv run jq .']),
        {
          '.venv/bin/pytest': { content: '', executable: true },
          'pyproject.toml': '[dependency-groups]\ndev = ["ruff>=0.6"]\n',
        },
      );
      assert.deepEqual(rows(ok), []);
      const missing = await lintText(prp(['uv run bandit -r src']));
      assert.deepEqual(rows(missing), [[28, 8, 'gate-program-not-found', 'warning']]);
    });

    it('leaves commands with variables in program position alone', async () => {
      assert.deepEqual(rows(await lintText(prp(['$PYTHON -m pytest', '"$TOOL" run']))), []);
    });

    it('checks story VALIDATE commands too', async () => {
      const report = await lintText(fixture('story-dark-mode.md'), {
        'package.json': packageJson({ lint: 'x', typecheck: 'y' }),
      });
      const gate = report.problems.filter((p) => p.rule.startsWith('gate-'));
      assert.deepEqual(
        gate.map((p) => [p.line, p.column, p.rule]),
        [
          [41, 22, 'gate-npx-download'],
          [63, 5, 'gate-npx-download'],
        ],
      );
    });
  });

  describe('context references', () => {
    const refs = (yaml: string): string => prp(['npm -v']).replace('Nothing else.', `\`\`\`yaml\n${yaml}\n\`\`\``);

    it('file: and docfile: must exist; directories and line anchors are fine', async () => {
      const report = await lintText(
        refs(
          [
            '- file: src/a.ts',
            '- file: src/a.ts:12',
            '- file: src/',
            '- file: src/missing.ts',
            '- docfile: PRPs/ai_docs/none.md',
            '- url: https://example.com/docs',
            '- file: src/**/*.spec.ts',
          ].join('\n'),
        ),
        { 'src/a.ts': 'x' },
      );
      assert.deepEqual(
        report.problems.map((p) => [p.line, p.column, p.rule, p.message]),
        [
          [21, 9, 'context-file-missing', 'file: "src/missing.ts" does not exist'],
          [
            22,
            12,
            'context-file-missing',
            'docfile: "PRPs/ai_docs/none.md" does not exist (put documentation for the agent in PRPs/ai_docs/)',
          ],
        ],
      );
    });

    it('references outside the project are errors, through .., absolute paths, ~ or symlinks', async () => {
      const report = await lintText(
        refs(
          [
            '- file: ../secret.txt',
            '- file: /etc/passwd',
            '- file: ~/.ssh/id_rsa',
            '- docfile: docs/link.md',
            '- file: docs/dangling.md',
          ].join('\n'),
        ),
        { 'docs/link.md': { symlink: '/etc/passwd' }, 'docs/dangling.md': { symlink: '../nowhere.md' } },
      );
      assert.deepEqual(
        report.problems.map((p) => [p.line, p.rule]),
        [
          [18, 'context-file-outside-project'],
          [19, 'context-file-outside-project'],
          [20, 'context-file-outside-project'],
          [21, 'context-file-outside-project'],
          [22, 'context-file-missing'],
        ],
      );
    });
  });

  describe('tasks', () => {
    const withTasks = (yaml: string): string => prp(['npm -v']).replace('Write it.', `\`\`\`yaml\n${yaml}\n\`\`\``);

    it('task paths outside the project are errors; modifying a missing file is a warning', async () => {
      const report = await lintText(
        withTasks(
          [
            'Task 1: CREATE src/new.ts',
            'Task 2: MODIFY src/new.ts',
            'Task 3: MODIFY src/app.ts',
            'Task 4: MODIFY src/gone.ts',
            'Task 5: CREATE ../../etc/cron.d/x',
            'Task 6: UPDATE /etc/hosts',
          ].join('\n'),
        ),
        { 'src/app.ts': 'x' },
      );
      assert.deepEqual(
        report.problems.map((p) => [p.line, p.column, p.rule, p.severity]),
        [
          [25, 16, 'task-target-missing', 'warning'],
          [26, 16, 'task-path-outside-project', 'error'],
          [27, 16, 'task-path-outside-project', 'error'],
        ],
      );
    });
  });

  describe('placeholders', () => {
    it('flags markers in prose, and not links, checkboxes, code or escaped brackets', async () => {
      const more = [
        '## Notes',
        '',
        'Owner: TBD. TODO: decide. See {{ticket}} and [TODO] and [NEEDS CLARIFICATION: auth?].',
        'Fine: [a link](https://x), [ref][r], [^1], [[wiki]], `[in code]`, \\[escaped words\\], [x], [1, 2, 3], [WIP].',
        '- [ ] a checkbox with no placeholder',
        '- No TODO comments left behind',
        '',
        '[r]: https://example.com',
        '[^1]: a footnote',
      ].join('\n');
      const report = await lintText(prp(['npm -v'], more));
      assert.deepEqual(
        report.problems.map((p) => [p.line, p.column, p.rule]),
        [
          [33, 8, 'placeholder-unresolved'],
          [33, 13, 'placeholder-unresolved'],
          [33, 31, 'placeholder-unresolved'],
          [33, 46, 'placeholder-unresolved'],
          [33, 57, 'placeholder-unresolved'],
        ],
      );
    });

    it('flags {name}, <name> and {{x}} in commands, not $-variables, brace expansion, awk or Go templates', async () => {
      const report = await lintText(
        prp([
          'npm test -- {pattern}',
          'curl http://x/<resource-id>',
          'echo {{token}}',
          `echo \${HOME} {a,b} {1..3}`,
          "awk '{print $1}' f",
          "docker inspect -f '{{.State}}' x",
          'find . -name x -exec grep -l y {} +',
        ]),
        { 'package.json': packageJson({ test: 'mocha' }) },
        ['npm', 'curl', 'echo', 'awk', 'docker', 'find', 'grep'],
      );
      assert.deepEqual(
        report.problems.map((p) => [p.line, p.column, p.rule]),
        [
          [28, 13, 'placeholder-unresolved'],
          [29, 15, 'placeholder-unresolved'],
          [30, 6, 'placeholder-unresolved'],
        ],
      );
    });
  });

  describe('hidden Unicode', () => {
    it('bidi controls are errors anywhere; zero-width characters in prose are warnings; emoji joiners are fine', async () => {
      const more = ['## Notes', '', 'Looks \u202eharmless.', 'Zero\u200bwidth.', 'Dev: 👩\u200d💻 ok.'].join('\n');
      const report = await lintText(prp(['npm -v'], more));
      assert.deepEqual(rows(report), [
        [33, 7, 'hidden-unicode', 'error'],
        [34, 5, 'hidden-unicode', 'warning'],
      ]);
    });

    it('every invisible character in a gate command is an error, reported once', async () => {
      const report = await lintText(prp(['npm\u200b -v']));
      assert.deepEqual(
        rows(report).filter((r) => r[2] === 'hidden-unicode'),
        [[28, 4, 'hidden-unicode', 'error']],
      );
    });

    it('hidden characters inside a dropped conditional branch are still reported', async () => {
      const more = '## IF false\nsecret \u2067text\n## ENDIF\n';
      assert.deepEqual(rows(await lintText(prp(['npm -v'], more))), [[32, 8, 'hidden-unicode', 'error']]);
    });
  });

  describe('conditional blocks', () => {
    it('reports unbalanced blocks and expression errors with their positions', async () => {
      const more = ["## IF techStack.databse === 'x'", 'a', '## ELSE IF (', 'b', '## ENDIF', '## ENDIF'].join('\n');
      const report = await lintText(prp(['npm -v'], more));
      assert.deepEqual(
        report.problems.map((p) => [p.line, p.column, p.rule]),
        [
          [31, 17, 'prp-conditional-expression'],
          [33, 13, 'prp-conditional-expression'],
          [36, 4, 'prp-conditional-unbalanced'],
        ],
      );
    });

    it('known fact names are fine even when nothing was detected', async () => {
      const more = [
        "## IF techStack.database === 'postgresql' || 'react' in techStack.frameworks",
        'a',
        '## ELSE IF techStack.packageManager == "pnpm" && !techStack.linters.length',
        'b',
        '## ENDIF',
      ].join('\n');
      assert.deepEqual(rows(await lintText(prp(['npm -v'], more))), []);
    });

    it('lints what the facts keep: a dropped branch’s commands are not checked', async () => {
      const project = makeProject({
        'PRPs/x.md': prp(
          ['npm -v'],
          "## IF techStack.database === 'postgresql'\n```bash\npsql -c 'select 1'\n```\n## ENDIF\n",
        ),
      });
      try {
        const empty = await lintPrp(project.workspace, 'PRPs/x.md', { programs: project.programs });
        assert.deepEqual(rows(empty), []);
        const pg = await lintPrp(project.workspace, 'PRPs/x.md', {
          programs: project.programs,
          facts: { techStack: { ...emptyTechStack(), database: 'postgresql', databases: ['postgresql'] } },
        });
        assert.deepEqual(rules(pg), ['gate-program-not-found']);
      } finally {
        project.cleanup();
      }
    });
  });

  describe('confidence score', () => {
    for (const [score, ok] of [
      ['8/10', true],
      ['10/10', true],
      ['11/10', false],
      ['0/10', false],
      ['7/8', false],
      ['7.5/10', false],
    ] as const) {
      it(`${score} is ${ok ? 'fine' : 'a warning'}`, async () => {
        const report = await lintText(prp(['npm -v'], `**Confidence Score**: ${score}`));
        assert.deepEqual(rows(report), ok ? [] : [[31, 23, 'confidence-out-of-range', 'warning']]);
      });
    }
  });

  describe('fatal problems', () => {
    it('a missing file, invalid UTF-8 and hostile markdown are fatal', async () => {
      const project = makeProject({
        'PRPs/bad.md': Buffer.from([0x23, 0x20, 0xff]),
        'PRPs/deep.md': `${'> '.repeat(5000)}x`,
      });
      try {
        for (const [file, rule] of [
          ['PRPs/none.md', 'file-not-found'],
          ['PRPs/bad.md', 'invalid-utf8'],
          ['PRPs/deep.md', 'markdown-too-complex'],
          ['../escape.md', 'path-outside-project'],
        ]) {
          const report = await lintPrp(project.workspace, file!, { programs: project.programs });
          assert.equal(report.fatal, true, file);
          assert.deepEqual(rules(report), [rule], file);
        }
      } finally {
        project.cleanup();
      }
    });
  });
});
