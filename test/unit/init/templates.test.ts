/**
 * The shipped templates: the 24 slash commands are real procedures, every template renders against every
 * kind of stack, the PRP templates carry the v3 structure, the workflows and settings have the documented shape.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { listTemplateEntries } from '../../../src/core/init/layout';
import { hasMarkers, type RenderContext, renderTemplate } from '../../../src/core/init/render';
import { buildRenderContext } from '../../../src/core/init/render-context';
import { detectProject } from '../../../src/core/project/tech-stack';
import { validationCommands } from '../../../src/core/project/validation-commands';
import { NodeFileSystem } from '../../../src/node/node-file-system';
import { PROJECT_FIXTURES, removeTempDirs, TEMPLATES, tempDir, workspaceAt } from '../../support/temp-project';

const COMMANDS = [
  'prime-context',
  'analyze-codebase',
  'prp-create',
  'prp-execute',
  'prp-validate',
  'implement-feature',
  'debug-analyze',
  'fix-bug',
  'test-create',
  'test-integration',
  'test-coverage',
  'performance-analyze',
  'performance-optimize',
  'benchmark-compare',
  'parallel-prp-create',
  'doc-api',
  'doc-architecture',
  'security-scan',
  'deploy-checklist',
  'context-refresh',
  'context-verify',
  'fix-syntax-errors',
  'fix-failing-tests',
  'debug-validation',
];

const PRP_TEMPLATES = ['prp_base', 'prp_planning', 'prp_spec', 'prp_task', 'prp_bugfix'];

function read(rel: string): string {
  return readFileSync(path.join(TEMPLATES, rel), 'utf8');
}

function splitFrontmatter(text: string): { data: Record<string, unknown>; body: string } {
  const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  assert.ok(m, 'starts with a YAML frontmatter block');
  return { data: parseYaml(m[1]!) as Record<string, unknown>, body: m[2]! };
}

/** Render contexts for every fixture project and an empty folder. */
async function contexts(): Promise<Array<[string, RenderContext]>> {
  const out: Array<[string, RenderContext]> = [];
  const dirs = readdirSync(PROJECT_FIXTURES).map((n) => [n, path.join(PROJECT_FIXTURES, n)] as const);
  for (const [name, dir] of [...dirs, ['empty', tempDir('ccf-empty-')] as const]) {
    const d = await detectProject(workspaceAt(dir));
    out.push([
      name,
      buildRenderContext(d, validationCommands(d.techStack, d), { name: 'codex-context-forge', version: '9.9.9' }),
    ]);
  }
  return out;
}

async function rendered(fixture: string, template: string): Promise<string> {
  const all = await contexts();
  const ctx = all.find(([n]) => n === fixture)![1];
  return renderTemplate(read(template), ctx, template);
}

describe('shipped templates', () => {
  after(removeTempDirs);

  describe('slash commands', () => {
    it('all 24 commands exist', () => {
      const names = readdirSync(path.join(TEMPLATES, 'commands')).map((f) => f.replace(/\.md$/, ''));
      for (const c of COMMANDS) assert.ok(names.includes(c), `templates/commands/${c}.md exists`);
    });

    for (const name of COMMANDS) {
      it(`${name}: frontmatter, a real procedure, and its arguments`, () => {
        const { data, body } = splitFrontmatter(read(`commands/${name}.md`));
        assert.equal(typeof data.description, 'string');
        assert.ok((data.description as string).length > 20, 'a useful description');
        assert.ok(!(data.description as string).includes('\n'), 'a one-line description');
        assert.equal(typeof data['allowed-tools'], 'string');
        const lines = body.split('\n').filter((l) => l.trim() !== '');
        assert.ok(lines.length > 25, `a body of substance (${lines.length} non-empty lines)`);
        assert.match(body, /^# /m, 'a title');
        assert.match(body, /^## Do not/m, 'says what not to do');
        if (data['argument-hint'] !== undefined) {
          assert.equal(typeof data['argument-hint'], 'string');
          assert.ok(body.includes('$ARGUMENTS'), 'uses $ARGUMENTS');
        }
      });
    }

    it('implementing commands leave pass/fail to the harness', () => {
      for (const name of [
        'prp-execute',
        'fix-syntax-errors',
        'fix-failing-tests',
        'fix-bug',
        'implement-feature',
        'performance-optimize',
      ]) {
        const text = read(`commands/${name}.md`);
        assert.match(text, /harness/i, `${name} mentions the harness`);
        assert.match(text, /(do not|never) (claim|state|write|decide)/i, `${name} forbids claiming success`);
      }
    });

    it('prp-create writes from the configured template and requires lint to pass', () => {
      const text = read('commands/prp-create.md');
      assert.match(text, /PRPs\/templates\/prp_base\.md/);
      assert.match(text, /defaultTemplate/);
      assert.match(text, /codex-context-forge lint PRPs\/\$1\.md/);
      assert.match(text, /exit 0/);
    });
  });

  describe('rendering', () => {
    it('every template renders against every fixture stack and an empty folder, leaving no marker', async () => {
      const entries = await listTemplateEntries(new NodeFileSystem(), TEMPLATES);
      assert.ok(entries.length >= 24 + 5 + 4);
      assert.ok(!entries.some((e) => e.template === 'README.md'), 'the templates README is not copied');
      for (const [name, ctx] of await contexts()) {
        for (const e of entries) {
          const out = renderTemplate(read(e.template), ctx, e.template);
          assert.ok(!hasMarkers(out) && !out.includes('{{ccf'), `${e.template} for ${name} has no marker left`);
        }
      }
    });

    it('validation commands reach the PRP template and CLAUDE.md for the detected stack', async () => {
      const node = await rendered('node-ts-vitest-pg', 'PRPs/templates/prp_base.md');
      assert.match(node, /### Level 1: Syntax & Style[^\n]*\n\n```bash\npnpm run lint\npnpm run typecheck\n```/);
      const py = await rendered('python-poetry-postgres', 'CLAUDE.md');
      assert.match(py, /poetry run pytest -q/);
      assert.match(py, /poetry run mypy \./);
      assert.match(py, /poetry add/);
      assert.match(py, /PostgreSQL: schema changes go through migrations/);
      const go = await rendered('go-gin', 'commands/fix-syntax-errors.md');
      assert.match(go, /go vet \.\/\.\.\./);
      const empty = await rendered('empty', 'PRPs/templates/prp_base.md');
      assert.match(empty, /```bash\n\[TODO: the commands that lint/);
    });
  });

  describe('PRP templates', () => {
    const common = [
      /^# .*\[/m,
      /^## Goal$/m,
      /^\*\*Feature Goal\*\*: \[/m,
      /^\*\*Deliverable\*\*: \[/m,
      /^\*\*Success Definition\*\*: \[/m,
      /^## Why$/m,
      /^## What$/m,
      /^### Success Criteria$/m,
      /^- \[ \] /m,
      /^## All Needed Context$/m,
      /^## Implementation Blueprint$/m,
      /^Task 1: (CREATE|MODIFY) /m,
      /^## Validation Loop$/m,
      /^### Level 1: .+\n\n```bash\n/m,
      /^### Level 2: .+\n\n```bash\n/m,
      /^## Final Validation Checklist$/m,
      /^## Anti-Patterns to Avoid$/m,
      /\*\*Confidence Score\*\*: \[N\]\/10/,
    ];
    for (const name of PRP_TEMPLATES) {
      it(`${name}: the v3 sections, placeholders to fill, balanced conditionals`, () => {
        const text = read(`PRPs/templates/${name}.md`);
        splitFrontmatter(text);
        for (const re of common) assert.match(text, re, `${name} matches ${re}`);
        const ifs = text.match(/^## IF /gm)?.length ?? 0;
        assert.equal(ifs, text.match(/^## ENDIF\s*$/gm)?.length ?? 0, 'every ## IF has its ## ENDIF');
      });
    }

    it('prp_base: four levels, url/file/docfile references, and stack conditionals', () => {
      const text = read('PRPs/templates/prp_base.md');
      for (const n of [1, 2, 3, 4]) assert.match(text, new RegExp(`^### Level ${n}: `, 'm'));
      assert.match(text, /^- url: \[/m);
      assert.match(text, /^- file: \[/m);
      assert.match(text, /^- docfile: \[PRPs\/ai_docs\//m);
      assert.match(text, /^## IF techStack\.database === 'postgresql'$/m);
      assert.match(text, /^## ELSE IF techStack\.database === 'mysql'$/m);
      assert.match(text, /^## ENDIF$/m);
    });

    it('ai_docs README explains docfile references', () => {
      assert.match(read('PRPs/ai_docs/README.md'), /docfile: PRPs\/ai_docs\//);
    });
  });

  describe('orchestration.yaml', () => {
    const doc = parseYaml(read('claude/orchestration.yaml'), { maxAliasCount: 0, uniqueKeys: true }) as {
      workflows: Record<string, { description: string; variables?: Record<string, unknown>; steps: unknown[] }>;
    };

    it('has the four workflows, each described', () => {
      assert.deepEqual(Object.keys(doc.workflows).sort(), [
        'bug_fix',
        'feature_complete',
        'multi_feature',
        'performance',
      ]);
      for (const w of Object.values(doc.workflows)) assert.ok(w.description.length > 10);
    });

    it('every step follows the step grammar and names a shipped command; every variable is declared', () => {
      for (const [name, w] of Object.entries(doc.workflows)) {
        const declared = new Set(Object.keys(w.variables ?? {}));
        const used = new Set<string>();
        const checkLine = (line: string): void => {
          for (const m of line.matchAll(/\$\{?([A-Z_][A-Z0-9_]*)\}?/g)) used.add(m[1]!);
        };
        const checkCommand = (line: string): void => {
          const m = /^\/([\w-]+)/.exec(line);
          assert.ok(m && COMMANDS.includes(m[1]!), `${name}: "${line}" is a shipped slash command`);
          checkLine(line);
        };
        const walk = (steps: unknown[]): void => {
          assert.ok(Array.isArray(steps) && steps.length > 0);
          for (const step of steps) {
            if (typeof step === 'string') {
              checkCommand(step);
              continue;
            }
            const s = step as Record<string, unknown>;
            const kinds = ['command', 'run', 'parallel', 'if'].filter((k) => k in s);
            assert.equal(kinds.length, 1, `${name}: exactly one of command/run/parallel/if in ${JSON.stringify(s)}`);
            const allowed = new Set([
              'name',
              'command',
              'run',
              'parallel',
              'if',
              'then',
              'else',
              'retry',
              'timeout',
              'continueOnError',
            ]);
            for (const k of Object.keys(s)) assert.ok(allowed.has(k), `${name}: unknown key ${k}`);
            if (typeof s.command === 'string') checkCommand(s.command);
            if (typeof s.run === 'string') checkLine(s.run);
            if (s.parallel) walk(s.parallel as unknown[]);
            if (s.if !== undefined) {
              assert.equal(typeof s.if, 'string');
              walk(s.then as unknown[]);
              if (s.else) walk(s.else as unknown[]);
            }
            if (s.retry) {
              const r = s.retry as Record<string, unknown>;
              assert.ok(Number.isInteger(r.maxAttempts) && ['exponential', 'fixed'].includes(r.backoff as string));
            }
            if (s.timeout !== undefined) assert.match(String(s.timeout), /^\d+(ms|s|m|h)$/);
          }
        };
        walk(w.steps);
        for (const v of used) assert.ok(declared.has(v), `${name}: $${v} is declared`);
      }
    });

    it('feature_complete runs prime → create → lint → validate → execute → coverage; multi_feature is parallel', () => {
      const commands = (doc.workflows.feature_complete!.steps as Array<Record<string, string>>).map(
        (s) => s.command?.split(' ')[0] ?? (s.run ? 'run' : 'if'),
      );
      assert.deepEqual(commands, [
        '/prime-context',
        '/prp-create',
        'run',
        '/prp-validate',
        '/prp-execute',
        'if',
        '/test-coverage',
      ]);
      assert.ok(doc.workflows.multi_feature!.steps.some((s) => typeof s === 'object' && s !== null && 'parallel' in s));
    });
  });

  describe('settings.local.json', () => {
    it('holds only the orchestration block, with the documented fields', () => {
      const s = JSON.parse(read('claude/settings.local.json')) as { orchestration: Record<string, unknown> };
      assert.deepEqual(Object.keys(s), ['orchestration']);
      const o = s.orchestration as Record<string, Record<string, unknown>> & Record<string, unknown>;
      assert.equal(o.defaultTemplate, 'prp_base');
      assert.equal(o.maxConcurrent, 3);
      assert.equal(typeof o.validationLevel, 'string');
      assert.equal(typeof o.parallelExecution, 'boolean');
      assert.equal(o.contextRefreshInterval, '30m');
      assert.deepEqual(Object.keys(o.autofix!).sort(), ['security', 'syntax', 'tests']);
      assert.deepEqual(Object.keys(o.validation!).sort(), ['mandatory', 'recommended', 'stopOnFailure']);
      assert.deepEqual((o.retry as { onRetry: unknown }).onRetry, {
        syntax: '/fix-syntax-errors',
        test: '/fix-failing-tests',
      });
      assert.deepEqual(Object.keys(o.hooks!).sort(), ['onDeploy', 'onFileChange', 'onTestFail']);
      assert.ok(existsInTemplates(`PRPs/templates/${o.defaultTemplate}.md`));
    });
  });
});

function existsInTemplates(rel: string): boolean {
  try {
    read(rel);
    return true;
  } catch {
    return false;
  }
}
