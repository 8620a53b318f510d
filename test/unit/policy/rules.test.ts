import * as assert from 'node:assert/strict';
import { matchBashRule, parseRule, type Rule } from '../../../src/core/policy/rules';
import {
  combineRules,
  parsePermissionSettings,
  parseRuleFlags,
  projectAllowApprovalTexts,
} from '../../../src/core/policy/settings';

function rule(text: string, list: 'allow' | 'ask' | 'deny' = 'allow'): Rule {
  const r = parseRule(text, list, 'user');
  if (!r.ok) throw new Error(r.message);
  return r.rule;
}

const words = (s: string) => s.split(' ');

describe('policy rules: parsing', () => {
  it('accepts the Claude Code syntax', () => {
    for (const t of [
      'Bash',
      'Bash(*)',
      'Bash(git status)',
      'Bash(npm run test:*)',
      'Bash(npm run test *)',
      'Bash(git commit -m "a b")',
      'Bash(CI=1 npm test)',
      'Read',
      'Read(./docs/**)',
      'Read(~/.ssh/config)',
      'Read(//etc/hosts)',
      'Read(*.env)',
      'Edit(src/**)',
      'Edit(/src/**/*.ts)',
      'Write(dist/*)',
    ]) {
      const r = parseRule(t, 'allow', 'user');
      assert.ok(r.ok, `${t}: ${r.ok ? '' : r.message}`);
    }
  });

  it('rejects bad rules with a clear message and the column of the problem', () => {
    const cases: [string, RegExp, number][] = [
      ['', /empty rule/, 1],
      [' Bash(ls)', /spaces/, 1],
      ['Bash(npm install', /missing "\)"/, 17],
      ['Bash(ls) extra', /unexpected text after "\)"/, 9],
      ['bash(ls)', /did you mean "Bash"/, 1],
      ['Shell(ls)', /unknown tool "Shell"/, 1],
      ['Bash()', /empty "\(\)"/, 6],
      ['Bash(ls && rm x)', /one simple command|one command/, 6],
      ['Bash(ls; rm x)', /one command/, 10],
      ['Bash(ls > out)', /redirections/, 9],
      ['Bash(echo $HOME)', /would never match/, 11],
      ['Bash(npm:* test)', /":\*" may only end a rule/, 9],
      ['Bash("unterminated)', /not a valid command/, 6],
      ['Read(../x)', /climb out/, 6],
      ['Read(~bob/x)', /"~user" paths/, 6],
      ['Read[x]', /unexpected "\["/, 5],
      ['9Bash', /starts with a tool name/, 1],
    ];
    for (const [text, message, column] of cases) {
      const r = parseRule(text, 'allow', 'cli');
      assert.equal(r.ok, false, text);
      if (r.ok) continue;
      assert.match(r.message, message, text);
      assert.equal(r.column, column, `${text}: ${r.message}`);
    }
  });

  it('ignores (with a warning) Claude Code tools we do not have, in shared settings', () => {
    for (const t of ['WebFetch(domain:github.com)', 'mcp__github__create_issue', 'Glob', 'NotebookEdit']) {
      const r = parseRule(t, 'allow', 'project');
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.unsupported, true, t);
    }
  });
});

describe('policy rules: matching commands word by word', () => {
  it('exact, legacy prefix and wildcard forms', () => {
    assert.equal(matchBashRule(rule('Bash(git status)'), words('git status')), true);
    assert.equal(matchBashRule(rule('Bash(git status)'), words('git status -s')), false);
    const prefix = rule('Bash(npm run test:*)');
    assert.equal(matchBashRule(prefix, words('npm run test')), true);
    assert.equal(matchBashRule(prefix, words('npm run test -- --grep x')), true);
    assert.equal(matchBashRule(prefix, words('npm run test:unit')), false);
    assert.equal(matchBashRule(prefix, words('npm run testx')), false);
    const star = rule('Bash(ls *)');
    assert.equal(matchBashRule(star, ['ls']), true, 'a trailing " *" also matches nothing');
    assert.equal(matchBashRule(star, words('ls -la src')), true);
    assert.equal(matchBashRule(star, ['lsof']), false);
    const inWord = rule('Bash(npm run test*)');
    assert.equal(matchBashRule(inWord, words('npm run test:unit')), true);
    assert.equal(matchBashRule(rule('Bash(git * main)'), words('git push origin main')), true);
    assert.equal(matchBashRule(rule('Bash(Bash)'.replace('Bash(Bash)', 'Bash')), words('anything at all')), true);
  });

  it('understands quoting: operators and stars inside quotes are text', () => {
    assert.equal(matchBashRule(rule('Bash(git commit -m "a && b")'), ['git', 'commit', '-m', 'a && b']), true);
    const literalStar = rule("Bash(echo '*')");
    assert.equal(matchBashRule(literalStar, ['echo', '*']), true);
    assert.equal(matchBashRule(literalStar, ['echo', 'x']), false);
  });

  it('a word only known at run time matches a wildcard of an allow rule, never a literal', () => {
    assert.equal(matchBashRule(rule('Bash(cat *)'), ['cat', undefined]), true);
    assert.equal(matchBashRule(rule('Bash(cat x)'), ['cat', undefined]), false);
    assert.equal(matchBashRule(rule('Bash(cat x)', 'deny'), ['cat', undefined]), true, 'deny: it might be x');
  });

  it('environment prefixes are part of the command', () => {
    assert.equal(matchBashRule(rule('Bash(npm test)'), ['NODE_OPTIONS=x', 'npm', 'test']), false);
    assert.equal(matchBashRule(rule('Bash(CI=1 npm test)'), ['CI=1', 'npm', 'test']), true);
  });

  it('deny and ask rules match case-insensitively and on an open end (xargs)', () => {
    assert.equal(matchBashRule(rule('Bash(rm:*)', 'deny'), ['RM', '-rf']), true);
    assert.equal(matchBashRule(rule('Bash(rm -rf x)', 'deny'), ['rm'], { openEnd: true }), true);
    assert.equal(matchBashRule(rule('Bash(rm -rf x)', 'allow'), ['rm'], { openEnd: true }), false);
  });
});

describe('policy settings files', () => {
  it('reads permissions with positions and reports bad rules at their line and column', () => {
    const text = [
      '{',
      '  "model": "x",',
      '  "permissions": {',
      '    "allow": ["Bash(npm test)", "Read(./docs/**)"],',
      '    "deny": ["Read(./secrets/**)", "Bash(npm install"],',
      '    "ask": ["WebFetch(domain:x.com)"]',
      '  }',
      '}',
    ].join('\n');
    const { settings, problems } = parsePermissionSettings(text, '.claude/settings.json', 'project');
    assert.deepEqual(
      settings.rules.allow.map((r) => [r.text, r.location?.line, r.location?.column]),
      [
        ['Bash(npm test)', 4, 15],
        ['Read(./docs/**)', 4, 33],
      ],
    );
    assert.deepEqual(
      settings.rules.deny.map((r) => r.text),
      ['Read(./secrets/**)'],
    );
    const err = problems.find((p) => p.severity === 'error')!;
    assert.equal(err.file, '.claude/settings.json');
    assert.equal(err.line, 5);
    assert.equal(err.column, 53, 'the column where the missing ")" belongs, inside the string');
    assert.match(err.message, /invalid deny rule "Bash\(npm install": missing "\)"/);
    const warn = problems.find((p) => p.severity === 'warning')!;
    assert.equal(warn.rule, 'policy-rule-unsupported');
    assert.equal(warn.line, 6);
  });

  it('reports invalid JSON and wrong shapes with positions', () => {
    const broken = parsePermissionSettings('{\n  "permissions": {\n    "allow": [\n  }\n}', 's.json', 'user');
    assert.equal(broken.problems[0]?.rule, 'settings-syntax');
    assert.ok(broken.problems[0]!.line >= 3);
    const shape = parsePermissionSettings('{"permissions": {"allow": "Bash"}}', 's.json', 'user');
    assert.match(shape.problems[0]!.message, /must be an array/);
    const item = parsePermissionSettings('{"permissions": {"deny": [1]}}', 's.json', 'user');
    assert.match(item.problems[0]!.message, /must be a string/);
    const dup = parsePermissionSettings('{"permissions": {}, "permissions": {}}', 's.json', 'user');
    assert.equal(dup.problems[0]?.rule, 'settings-syntax');
    const fw = parsePermissionSettings('{"permissions": {"fileWrites": "yes"}}', 's.json', 'user');
    assert.match(fw.problems[0]!.message, /"allow" or "ask"/);
  });

  it('reads --allow/--ask/--deny flags, naming the flag in errors', () => {
    const ok = parseRuleFlags({ allow: ['Bash(npm install)'], deny: ['Read(./secrets/**)'] });
    assert.deepEqual(ok.problems, []);
    assert.equal(ok.rules.allow[0]?.origin, 'cli');
    const bad = parseRuleFlags({ allow: ['Bash(npm install'] });
    assert.equal(bad.problems[0]?.file, '--allow');
    assert.equal(bad.problems[0]?.column, 17);
  });

  it('project allow rules only count once approved; project deny/ask always count; fileWrites only narrows', () => {
    const user = parsePermissionSettings('{"permissions":{"allow":["Bash(make)"]}}', 'u.json', 'user').settings;
    const project = parsePermissionSettings(
      '{"permissions":{"allow":["Bash"],"deny":["Bash(rm:*)"],"ask":["Bash(git push:*)"],"fileWrites":"allow"}}',
      'p.json',
      'project',
    ).settings;
    const unapproved = combineRules({ user, project });
    assert.deepEqual(
      unapproved.rules.allow.map((r) => r.text),
      ['Bash(make)'],
    );
    assert.deepEqual(
      unapproved.ignored.map((r) => r.text),
      ['Bash'],
    );
    assert.deepEqual(
      unapproved.rules.deny.map((r) => r.text),
      ['Bash(rm:*)'],
    );
    assert.deepEqual(
      unapproved.rules.ask.map((r) => r.text),
      ['Bash(git push:*)'],
    );
    const approved = combineRules({ user, project, projectAllowApproved: true });
    assert.deepEqual(
      approved.rules.allow.map((r) => r.text),
      ['Bash(make)', 'Bash'],
    );
    const narrowing = parsePermissionSettings('{"permissions":{"fileWrites":"ask"}}', 'p.json', 'project').settings;
    assert.equal(combineRules({ project }).fileWrites, 'allow');
    assert.equal(combineRules({ project: narrowing }).fileWrites, 'ask');
    assert.deepEqual(projectAllowApprovalTexts(project), ['permissions.allow Bash']);
  });
});
