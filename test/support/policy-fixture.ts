/**
 * A real project on disk for policy tests: files, secrets, control surfaces, a fake home with credentials, and
 * symlinks that try to escape (into the fake home's ~/.ssh, to /etc, to .env, to .git/hooks), plus a sibling
 * directory sharing the project's name prefix (`proj-evil` next to `proj`).
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PermissionPolicy, type PolicyConfig } from '../../src/core/policy/policy';
import { emptyRuleSet, type RuleList, type RuleSet } from '../../src/core/policy/rules';
import { parseRuleFlags } from '../../src/core/policy/settings';
import { NodeFileSystem } from '../../src/node/node-file-system';

export interface PolicyFixture {
  base: string;
  root: string;
  home: string;
  sibling: string;
  configDir: string;
  policy(options?: Partial<Record<RuleList, string[]>> & Partial<Omit<PolicyConfig, 'rules'>>): PermissionPolicy;
  cleanup(): void;
}

function write(file: string, content = 'x\n'): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

export function createPolicyFixture(): PolicyFixture {
  const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'ccf-policy-')));
  const root = path.join(base, 'proj');
  const home = path.join(base, 'home');
  const sibling = path.join(base, 'proj-evil');
  const configDir = path.join(home, '.config', 'codex-context-forge');
  write(path.join(root, '.claude/settings.json'), '{}\n');
  for (const f of [
    'src/a.ts',
    'src/b.ts',
    'docs/guide.md',
    'README.md',
    'package.json',
    '.env',
    '.env.local',
    '.env.example',
    'certs/server.pem',
    'certs/server.key',
    'secrets/token.txt',
    '.git/config',
    '.git/HEAD',
    '.git/hooks/pre-commit.sample',
    '.vscode/settings.json',
    '.claude/commands/prp-create.md',
    '.mcp.json',
    '.context-forge/policy.json',
  ]) {
    write(path.join(root, f));
  }
  write(path.join(home, '.ssh/id_rsa'), 'PRIVATE KEY\n');
  write(path.join(home, '.aws/credentials'));
  write(path.join(home, '.bashrc'));
  write(path.join(home, 'notes.txt'));
  write(path.join(configDir, 'approvals.json'), '{"version":1,"projects":{}}\n');
  write(path.join(sibling, 'secret.txt'));
  symlinkSync(path.join(home, '.ssh'), path.join(root, 'ssh-link'));
  symlinkSync('/etc', path.join(root, 'etc-link'));
  symlinkSync(path.join(root, '.env'), path.join(root, 'notes.txt'));
  symlinkSync(path.join(root, '.git/hooks'), path.join(root, 'hooks'));
  symlinkSync(path.join(sibling, 'secret.txt'), path.join(root, 'sibling-link'));
  symlinkSync(path.join(base, 'does-not-exist'), path.join(root, 'dangling'));
  symlinkSync(path.join(root, 'src'), path.join(root, 'src-link'));
  const fs = new NodeFileSystem();
  return {
    base,
    root,
    home,
    sibling,
    configDir,
    policy(options = {}) {
      const { allow, ask, deny, ...rest } = options;
      const parsed = parseRuleFlags({ allow: allow ?? [], ask: ask ?? [], deny: deny ?? [] });
      if (parsed.problems.length > 0) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
      const rules: RuleSet = parsed.rules ?? emptyRuleSet();
      return new PermissionPolicy({ root, home, fs, rules, protectedPaths: [configDir], ...rest });
    },
    cleanup() {
      rmSync(base, { recursive: true, force: true });
    },
  };
}
