import * as assert from 'node:assert/strict';
import { type Prp, parsePrp } from '../../../src/core/prp';
import { fixture } from '../../support/fixtures';

function read(name: string, text = fixture(name)): Prp {
  const r = parsePrp(text, `PRPs/${name}`);
  assert.ok(r.value, `no model: ${JSON.stringify(r.problems)}`);
  assert.deepEqual(r.problems, []);
  return r.value;
}

describe('PRP reader', () => {
  describe('Base PRP Template v3 (filled in)', () => {
    const prp = read('v3-webhook-retries.md');

    it('recognises the variant and the title from the name: header', () => {
      assert.equal(prp.variant, 'base-v3');
      assert.equal(prp.title, 'Webhook delivery retries with exponential backoff');
      assert.deepEqual(prp.titlePosition, { line: 1, column: 8 });
      assert.match(prp.meta.description ?? '', /^Retry failed webhook deliveries/);
    });

    it('reads the goal fields with their positions, joining continuation lines', () => {
      assert.equal(prp.goal?.featureGoal?.text.startsWith('Failed webhook deliveries are retried'), true);
      assert.deepEqual(
        { line: prp.goal?.featureGoal?.line, column: prp.goal?.featureGoal?.column },
        { line: 9, column: 19 },
      );
      assert.match(prp.goal?.deliverable?.text ?? '', /^A `RetryPolicy` module/);
      assert.equal(
        prp.goal?.successDefinition?.text,
        'A receiver that fails twice and then answers 200 gets the event exactly once more, ' +
          'and a receiver that always fails ends up in `dead_letters` after 5 attempts.',
      );
    });

    it('keeps why and what as markdown blocks', () => {
      assert.equal(prp.why?.line, 28);
      assert.match(prp.why?.markdown ?? '', /^- Lost events are our most common support ticket/);
      assert.match(prp.what?.markdown ?? '', /retried up to 5 times/);
    });

    it('reads the success criteria checkboxes with their state and line', () => {
      assert.deepEqual(
        prp.successCriteria.map((c) => [c.checked, c.line, c.column]),
        [
          [false, 39, 7],
          [true, 40, 7],
          [false, 41, 7],
        ],
      );
      assert.equal(prp.successCriteria[1]!.text, 'Retry-After of 30 s on a 429 delays the next attempt by 30 s');
    });

    it('reads the context references of the YAML block with why/pattern/gotcha/section', () => {
      assert.deepEqual(
        prp.contextReferences.map((r) => [r.kind, r.target, r.line, r.column, r.source]),
        [
          ['url', 'https://www.rfc-editor.org/rfc/rfc9110#field.retry-after', 53, 8, 'yaml'],
          ['file', 'src/webhooks/deliver.ts', 57, 9, 'yaml'],
          ['file', 'src/queue/scheduler.ts', 62, 9, 'yaml'],
          ['docfile', 'PRPs/ai_docs/queue-semantics.md', 65, 12, 'yaml'],
        ],
      );
      const deliver = prp.contextReferences[1]!;
      assert.equal(deliver.pattern, 'Errors are returned as DeliveryResult values, never thrown');
      assert.equal(deliver.gotcha, 'The fetch timeout is already 10 s; do not add a second timer');
      assert.equal(
        prp.contextReferences[0]!.critical,
        'Both forms must be accepted; a date in the past means retry now',
      );
      assert.equal(prp.contextReferences[3]!.section, 'Delayed jobs');
    });

    it('reads the implementation tasks with their operations and sub-bullets', () => {
      assert.deepEqual(
        prp.tasks.map((t) => [t.id, t.operations.map((o) => `${o.action} ${o.path} @${o.line}:${o.column}`)]),
        [
          ['1', ['CREATE src/webhooks/retry-policy.ts @109:16']],
          ['2', ['MODIFY src/webhooks/deliver.ts @115:16']],
          ['3', ['CREATE test/webhooks/retry-policy.test.ts @120:16']],
        ],
      );
      assert.deepEqual(prp.tasks[0]!.operations[0]!.details[1], {
        key: 'FOLLOW pattern',
        text: 'src/webhooks/deliver.ts (results as values, no throws)',
        line: 111,
      });
    });

    it('reads the four validation levels, their commands with source lines, and expectations', () => {
      assert.deepEqual(
        prp.validationLevels.map((l) => [l.level, l.name, l.line]),
        [
          [1, 'Syntax & Style (Immediate Feedback)', 148],
          [2, 'Unit Tests (Component Validation)', 158],
          [3, 'Integration Testing (System Validation)', 171],
          [4, 'Creative & Domain-Specific Validation', 187],
        ],
      );
      const [l1, l2, l3] = prp.validationLevels;
      // Trailing comments dropped; comment lines skipped.
      assert.deepEqual(
        l1!.commands.map((c) => [c.text, c.line, c.column]),
        [
          ['npm run lint', 152, 1],
          ['npx tsc --noEmit', 153, 1],
        ],
      );
      // A `\` continuation is joined; the command keeps its first and last line.
      assert.deepEqual(
        l2!.commands.map((c) => [c.text, c.line, c.endLine]),
        [
          ['npm test -- --grep "retry policy"', 162, 163],
          ['npm test', 166, 166],
        ],
      );
      assert.deepEqual(
        l3!.commands.map((c) => c.text),
        [
          'npm run dev &',
          'sleep 3',
          `curl -sf -X POST http://localhost:3000/test/receivers -H "Content-Type: application/json" -d '{"failFirst": 2}' | jq -e '.id'`,
        ],
      );
      assert.deepEqual(l1!.expectations, [
        { text: 'Zero errors. If errors exist, READ output and fix before proceeding.', line: 155, column: 1 },
      ]);
      assert.ok(prp.validationLevels.every((l) => l.commands.every((c) => c.lang === 'bash' && c.hidden.length === 0)));
    });

    it('reads the final checklist grouped by sub-heading, the anti-patterns and the confidence score', () => {
      assert.deepEqual(
        prp.finalChecklist.map((c) => [c.group, c.checked, c.line]),
        [
          ['Technical Validation', false, 200],
          ['Technical Validation', false, 201],
          ['Technical Validation', false, 202],
          ['Feature Validation', false, 206],
          ['Feature Validation', true, 207],
        ],
      );
      assert.equal(prp.antiPatterns.length, 2);
      assert.match(prp.antiPatterns[0]!.text, /Don't retry 4xx other than 429/);
      assert.deepEqual(prp.confidence, { score: 8, outOf: 10, line: 216, column: 23 });
    });

    it('ignores shell fences outside the Validation Loop (codebase trees are not gates)', () => {
      const all = prp.validationLevels.flatMap((l) => l.commands.map((c) => c.text));
      assert.ok(!all.some((c) => c.startsWith('src/')));
    });
  });

  describe('Base PRP Template v2 ("Context-Rich with Validation Loops")', () => {
    const prp = read('v2-user-export.md');

    it('recognises the variant, the plain goal and the three levels', () => {
      assert.equal(prp.variant, 'base-v2');
      assert.equal(prp.goal?.featureGoal, undefined);
      assert.match(prp.goal?.markdown ?? '', /^An authenticated admin can download/);
      assert.deepEqual(
        prp.validationLevels.map((l) => [l.level, l.commands.length]),
        [
          [1, 2],
          [2, 1],
          [3, 2],
        ],
      );
    });

    it('takes commands only from shell fences (the Level 2 python test code is not a command)', () => {
      assert.deepEqual(
        prp.validationLevels[1]!.commands.map((c) => [c.text, c.line]),
        [['uv run pytest tests/api/test_user_export.py -v', 113]],
      );
    });

    it('keeps an "Expected:" paragraph after a fence as the level expectation', () => {
      assert.deepEqual(prp.validationLevels[2]!.expectations, [
        { text: 'a CSV whose first line is id,email,created_at,plan.', line: 129, column: 1 },
      ]);
    });

    it('falls back to line-based reading for a references block that is not valid YAML', () => {
      assert.deepEqual(
        prp.contextReferences.map((r) => [r.kind, r.target, r.line, r.source]),
        [
          ['url', 'https://fastapi.tiangolo.com/advanced/custom-response/#streamingresponse', 42, 'lines'],
          ['file', 'app/api/admin/users.py', 45, 'lines'],
          ['doc', 'https://docs.python.org/3/library/csv.html', 48, 'lines'],
          ['docfile', 'PRPs/ai_docs/streaming.md', 52, 'lines'],
        ],
      );
      assert.equal(
        prp.contextReferences[0]!.why,
        'StreamingResponse with a generator; note: headers must be set before the first chunk',
      );
      assert.equal(prp.contextReferences[2]!.section, 'csv.writer with a file-like object');
    });

    it('reads v2 tasks: Task N: followed by several ACTION path: operations', () => {
      assert.deepEqual(
        prp.tasks.map((t) => [t.id, t.operations.map((o) => `${o.action} ${o.path}`)]),
        [
          ['1', ['MODIFY app/api/admin/users.py', 'CREATE app/services/user_export.py']],
          ['2', ['CREATE tests/api/test_user_export.py']],
        ],
      );
      assert.equal(prp.tasks[0]!.operations[1]!.details.length, 2);
    });

    it('reads "Final validation Checklist" (v2 spelling) and has no confidence score', () => {
      assert.equal(prp.finalChecklist.length, 3);
      assert.equal(prp.confidence, undefined);
    });
  });

  describe('story/task PRP', () => {
    const prp = read('story-dark-mode.md');

    it('recognises the variant and the title from front matter', () => {
      assert.equal(prp.variant, 'story');
      assert.equal(prp.title, 'Story PRP: dark mode toggle');
      assert.deepEqual(prp.titlePosition, { line: 2, column: 8 });
    });

    it('reads context references written as markdown list items', () => {
      assert.deepEqual(
        prp.contextReferences.map((r) => [r.kind, r.target, r.line, r.column, r.source]),
        [
          ['file', 'src/theme/tokens.ts', 23, 4, 'markdown'],
          ['file', 'src/settings/SettingsPage.tsx', 24, 4, 'markdown'],
          ['url', 'https://tailwindcss.com/docs/dark-mode', 25, 3, 'markdown'],
          ['docfile', 'PRPs/ai_docs/theming.md', 26, 12, 'markdown'],
        ],
      );
      assert.equal(prp.contextReferences[0]!.why, 'colour tokens; dark values already exist but are unused');
    });

    it('reads ### ACTION path: tasks with their VALIDATE command', () => {
      assert.deepEqual(
        prp.tasks.map((t) => [
          t.id,
          t.operations[0]!.action,
          t.operations[0]!.path,
          t.validate?.text,
          t.validate?.line,
        ]),
        [
          ['1', 'CREATE', 'src/theme/useTheme.ts', 'npx vitest run src/theme/useTheme.test.ts', 41],
          [
            '2',
            'UPDATE',
            'src/settings/SettingsPage.tsx',
            'grep -q "useTheme" src/settings/SettingsPage.tsx && echo "✓ toggle wired"',
            47,
          ],
        ],
      );
    });

    it('reads sh and shell fences as commands, and the COMPLETION CHECKLIST', () => {
      assert.deepEqual(
        prp.validationLevels.map((l) => l.commands.map((c) => `${c.lang}:${c.text}`)),
        [['sh:npm run lint', 'sh:npm run typecheck'], ['shell:npx vitest run src/theme src/settings']],
      );
      assert.deepEqual(
        prp.finalChecklist.map((c) => c.checked),
        [false, false, true],
      );
      assert.equal(prp.confidence?.score, 9);
    });
  });

  describe('details', () => {
    it('uses the first # heading as the title, over a name: header', () => {
      const prp = read('x.md', 'name: "meta name"\n\n# PRP: The real title\n\n## Goal\n\nx\n');
      assert.equal(prp.title, 'PRP: The real title');
      assert.deepEqual(prp.titlePosition, { line: 3, column: 3 });
      assert.equal(prp.meta.name, 'meta name');
    });

    it('falls back to the file name when there is no title at all', () => {
      assert.equal(read('no-title.md', 'just text\n').title, 'no-title');
    });

    it('does not count a byte-order mark as a column', () => {
      const prp = read(
        'bom.md',
        '\ufeff# Title\n\n## Validation Loop\n\n### Level 1: Lint\n\n```bash\nnpm run lint\n```\n',
      );
      assert.deepEqual(prp.titlePosition, { line: 1, column: 3 });
      assert.deepEqual(
        prp.validationLevels[0]!.commands.map((c) => [c.line, c.column]),
        [[8, 1]],
      );
    });

    it('reads CRLF files with the same lines and columns', () => {
      const lf = fixture('v3-webhook-retries.md');
      const crlf = read('crlf.md', lf.replace(/\n/g, '\r\n'));
      const plain = read('lf.md', lf);
      assert.deepEqual(
        crlf.validationLevels.map((l) => l.commands.map((c) => [c.text, c.line, c.column])),
        plain.validationLevels.map((l) => l.commands.map((c) => [c.text, c.line, c.column])),
      );
      assert.deepEqual(
        crlf.contextReferences.map((r) => [r.target, r.line, r.column]),
        plain.contextReferences.map((r) => [r.target, r.line, r.column]),
      );
    });

    it('maps commands of a fence indented in a list item to their real columns', () => {
      const text =
        '## Validation Loop\n\n### Level 1: Lint\n\n1. Run the linter:\n\n   ```bash\n   npm run lint\n   ```\n';
      const prp = read('indented.md', text);
      assert.deepEqual(
        prp.validationLevels[0]!.commands.map((c) => [c.text, c.line, c.column]),
        [['npm run lint', 8, 4]],
      );
    });

    it('reads a validation section without level headings as one level', () => {
      const prp = read('gates.md', '## Validation Gates\n\n```bash\nruff check .\npytest -q\n```\n');
      assert.deepEqual(
        prp.validationLevels.map((l) => [l.level, l.name, l.commands.map((c) => c.text)]),
        [[1, 'Validation', ['ruff check .', 'pytest -q']]],
      );
    });

    it('never expands YAML anchors/aliases in a references block (falls back to lines)', () => {
      const text = '## All Needed Context\n\n```yaml\n- file: &a src/a.ts\n  why: *a\n- file: *a\n```\n';
      const prp = read('alias.md', text);
      assert.deepEqual(
        prp.contextReferences.map((r) => [r.target, r.source]),
        [
          ['&a src/a.ts', 'lines'],
          ['*a', 'lines'],
        ],
      );
    });

    it('keeps __proto__ keys of a reference entry as plain notes', () => {
      const text = '## All Needed Context\n\n```yaml\n- file: src/a.ts\n  __proto__: polluted\n  constructor: x\n```\n';
      const prp = read('proto.md', text);
      const ref = prp.contextReferences[0]!;
      assert.deepEqual(ref.notes, [
        { key: '__proto__', value: 'polluted', line: 5 },
        { key: 'constructor', value: 'x', line: 6 },
      ]);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal(Object.getPrototypeOf(ref), Object.prototype);
    });

    it('keeps a template placeholder value of a YAML reference as written', () => {
      const text =
        '## All Needed Context\n\n```yaml\n- url: [Official API docs URL]\n  why: [Specific sections]\n```\n';
      const prp = read('tpl.md', text);
      assert.deepEqual(
        prp.contextReferences.map((r) => [r.kind, r.target, r.why]),
        [['url', '[Official API docs URL]', '[Specific sections]']],
      );
    });
  });
});
