import * as assert from 'node:assert/strict';
import { hasMarkers, isTruthy, renderTemplate, TemplateError } from '../../../src/core/init/render';

const ctx = {
  project: { name: 'shop', description: '' },
  techStack: { languages: ['typescript', 'python'], database: 'none', testRunner: 'vitest' },
  validation: { level1: ['npm run lint', 'npx tsc --noEmit'], level2: [] as string[] },
  has: { database: { postgresql: true } },
};

function errorOf(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TemplateError) return e;
    throw e;
  }
  throw new Error('expected a TemplateError');
}

describe('template renderer', () => {
  it('substitutes values; lists joined with ", " by default', () => {
    assert.equal(
      renderTemplate('# {{ccf.project.name}} ({{ccf.techStack.languages}})', ctx),
      '# shop (typescript, python)',
    );
  });

  it('filters: lines, bullets, code, comma', () => {
    assert.equal(renderTemplate('{{ccf.validation.level1 | lines}}', ctx), 'npm run lint\nnpx tsc --noEmit');
    assert.equal(renderTemplate('{{ccf.validation.level1|bullets}}', ctx), '- npm run lint\n- npx tsc --noEmit');
    assert.equal(renderTemplate('{{ccf.validation.level1 | code}}', ctx), '`npm run lint`, `npx tsc --noEmit`');
    assert.equal(renderTemplate('{{ccf.techStack.testRunner | code}}', ctx), '`vitest`');
    assert.equal(renderTemplate('{{ccf.validation.level1 | comma}}', ctx), 'npm run lint, npx tsc --noEmit');
  });

  it('block tags alone on a line take the line with them', () => {
    const t =
      'a\n{{ccf.if validation.level1}}\n```bash\n{{ccf.validation.level1 | lines}}\n```\n{{ccf.else}}\nnone\n{{ccf.end}}\nz\n';
    assert.equal(renderTemplate(t, ctx), 'a\n```bash\nnpm run lint\nnpx tsc --noEmit\n```\nz\n');
    const e = 'a\n  {{ccf.if validation.level2}}  \nx\n{{ccf.else}}\ny\n{{ccf.end}}';
    assert.equal(renderTemplate(e, ctx), 'a\ny\n');
  });

  it('inline blocks, negation, nesting', () => {
    assert.equal(renderTemplate('[{{ccf.if techStack.database}}db{{ccf.else}}no db{{ccf.end}}]', ctx), '[no db]');
    assert.equal(renderTemplate('{{ccf.if !validation.level2}}empty{{ccf.end}}', ctx), 'empty');
    const nested =
      '{{ccf.if techStack.languages}}L{{ccf.if has.database.postgresql}}P{{ccf.else}}Q{{ccf.end}}{{ccf.end}}';
    assert.equal(renderTemplate(nested, ctx), 'LP');
  });

  it('a missing member of a known group is simply false in a condition', () => {
    assert.equal(renderTemplate('{{ccf.if has.database.mongodb}}yes{{ccf.else}}no{{ccf.end}}', ctx), 'no');
  });

  it('truthiness: "none", "", [] and false are false', () => {
    assert.equal(isTruthy('none'), false);
    assert.equal(isTruthy(''), false);
    assert.equal(isTruthy([]), false);
    assert.equal(isTruthy(false), false);
    assert.equal(isTruthy(0), false);
    assert.equal(isTruthy('postgresql'), true);
    assert.equal(isTruthy(['x']), true);
    assert.equal(isTruthy({}), true);
  });

  it('substituted text is never rendered again', () => {
    const evil = { project: { name: '{{ccf.project.secret}}', secret: 'leak' } };
    assert.equal(renderTemplate('{{ccf.project.name}}', evil), '{{ccf.project.secret}}');
  });

  it('other braces and PRP placeholders pass through untouched', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: GitHub Actions syntax, literally
    const t = "{{TODO}} [Specific, measurable end state] ${{ secrets.X }} {{ccf}} ## IF techStack.database === 'x'";
    assert.equal(renderTemplate(t, ctx), t);
    assert.equal(hasMarkers(t), false);
    assert.equal(hasMarkers('{{ccf.project.name}}'), true);
  });

  it('unknown values, bad filters and unbalanced blocks are positioned template errors', () => {
    const e = errorOf(() => renderTemplate('ok\n  {{ccf.project.nope}}', ctx, 'templates/x.md'));
    assert.deepEqual([e.file, e.line, e.column], ['templates/x.md', 2, 3]);
    assert.match(e.message, /unknown value "project.nope"/);
    assert.match(errorOf(() => renderTemplate('{{ccf.nothing.here}}', ctx)).message, /unknown value/);
    assert.match(errorOf(() => renderTemplate('{{ccf.if nothing.here}}x{{ccf.end}}', ctx)).message, /unknown value/);
    assert.match(errorOf(() => renderTemplate('{{ccf.project | lines}}', ctx)).message, /group of values/);
    assert.match(errorOf(() => renderTemplate('{{ccf.project.name | upper}}', ctx)).message, /unknown filter "upper"/);
    assert.match(errorOf(() => renderTemplate('{{ccf.project.name | lines | code}}', ctx)).message, /unknown filter/);
    assert.match(errorOf(() => renderTemplate('{{ccf.if project.name}}x', ctx)).message, /never closed/);
    assert.match(errorOf(() => renderTemplate('x{{ccf.end}}', ctx)).message, /without a matching/);
    assert.match(errorOf(() => renderTemplate('{{ccf.else}}', ctx)).message, /without a matching/);
    assert.match(
      errorOf(() => renderTemplate('{{ccf.if project.name}}{{ccf.else}}{{ccf.else}}{{ccf.end}}', ctx)).message,
      /without a matching/,
    );
    assert.match(errorOf(() => renderTemplate('{{ccf.a b}}', ctx)).message, /not a value path/);
  });

  it('prototype properties are not values', () => {
    assert.match(errorOf(() => renderTemplate('{{ccf.project.constructor}}', ctx)).message, /unknown value/);
    assert.match(errorOf(() => renderTemplate('{{ccf.__proto__.x}}', ctx)).message, /unknown value/);
  });
});
