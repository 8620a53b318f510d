/**
 * What a context document points at: `file:`, `docfile:` and `url:` entries of a PRP's YAML reference blocks
 * (and of any markdown that uses the same convention), backticked paths and relative markdown links, and
 * commands to run (lines of `bash`/`sh` fences, and backticked commands that start with a known program).
 * Each with its 1-based position, for `/context-verify` and for loading a PRP's docfiles into the context block.
 *
 * A deterministic, deliberately conservative scan: something is a path only when it looks like one (a `/` or
 * a file extension, no spaces, not a URL, no placeholder brackets), so prose is not reported as missing files.
 */

export type ReferenceKind = 'file' | 'docfile' | 'url' | 'path' | 'link' | 'command';

export interface Reference {
  kind: ReferenceKind;
  value: string;
  line: number;
  column: number;
}

const YAML_REF = /^(\s*(?:-\s+)?)(file|docfile|url):\s*(.*?)\s*$/;
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/;
const SHELL_LANGS = new Set(['bash', 'sh', 'shell', 'zsh', 'console']);
const INLINE_CODE = /`([^`\n]+)`/g;
const MD_LINK = /\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g;

/** Programs whose backticked invocations count as commands to verify. */
export const COMMAND_PROGRAMS = new Set([
  'npm',
  'npx',
  'pnpm',
  'yarn',
  'bun',
  'node',
  'deno',
  'tsc',
  'eslint',
  'biome',
  'prettier',
  'vitest',
  'jest',
  'mocha',
  'python',
  'python3',
  'pip',
  'uv',
  'poetry',
  'pytest',
  'ruff',
  'mypy',
  'go',
  'cargo',
  'make',
  'docker',
  'codex-context-forge',
  'ccf',
]);

const FILE_EXT = /\.[A-Za-z0-9]{1,8}$/;

/** Whether `text` looks like a project path (not prose, not a URL, not a placeholder or a glob). */
export function looksLikePath(text: string): boolean {
  const t = text.trim();
  if (t === '' || t.length > 300 || /\s/.test(t)) return false;
  if (/^[a-z][a-z0-9+.-]*:/i.test(t)) return false; // url, scheme, `C:`
  if (/[[\]{}<>*?$|;&()'"`,=]/.test(t)) return false; // placeholders, globs, shell, code
  if (t.startsWith('-') || t.startsWith('@') || t.startsWith('#')) return false;
  if (t.startsWith('~') || t.startsWith('/')) return false; // outside the project: not ours to verify
  if (/^\.{1,2}$/.test(t)) return false;
  const hasSlash = t.includes('/');
  if (!hasSlash && !FILE_EXT.test(t)) return false;
  if (!hasSlash && /^\d+(\.\d+)+$/.test(t)) return false; // a version number
  // `foo.bar` member access vs `file.ts`: require a known-looking extension when there is no slash
  if (
    !hasSlash &&
    !/\.(md|mdx|txt|json|jsonc|ya?ml|toml|ts|tsx|js|jsx|mjs|cjs|py|go|rs|sh|css|scss|html|lock|ini|cfg|env\.example|sql|prisma|rb|java|kt|cs|c|h|cpp|hpp|vue|svelte)$/i.test(
      t,
    )
  )
    return false;
  return true;
}

/** A plain or quoted YAML scalar, without a trailing comment. */
function yamlScalar(raw: string): string {
  const quoted = /^(["'])(.*)\1(?:\s+#.*)?$/.exec(raw.trim());
  if (quoted) return quoted[2]!;
  return raw.replace(/\s+#.*$/, '').trim();
}

/** Scans markdown text for references and commands. */
export function extractReferences(markdown: string): Reference[] {
  const out: Reference[] = [];
  const lines = markdown.split(/\r?\n/);
  let fence: { marker: string; lang: string; yaml: boolean; shell: boolean } | undefined;
  let continued = '';
  let continuedAt: { line: number; column: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const lineNo = i + 1;
    const f = FENCE.exec(line);
    if (fence) {
      if (f && f[2]!.startsWith(fence.marker[0]!) && f[2]!.length >= fence.marker.length && f[3] === '') {
        fence = undefined;
        continued = '';
        continue;
      }
      if (fence.yaml || fence.lang === '') {
        const m = YAML_REF.exec(line);
        if (m) {
          const value = yamlScalar(m[3]!);
          if (value !== '') out.push({ kind: m[2] as ReferenceKind, value, line: lineNo, column: m[1]!.length + 1 });
        }
        continue;
      }
      if (fence.shell) {
        const trimmed = line.trim();
        if (continued) {
          continued += ` ${trimmed.replace(/\\$/, '').trim()}`;
          if (!trimmed.endsWith('\\')) {
            out.push({ kind: 'command', value: continued, line: continuedAt!.line, column: continuedAt!.column });
            continued = '';
          }
          continue;
        }
        if (trimmed === '' || trimmed.startsWith('#')) continue;
        const text = trimmed.replace(/^\$\s+/, '');
        const column = line.indexOf(trimmed) + 1;
        if (text.endsWith('\\')) {
          continued = text.replace(/\\$/, '').trim();
          continuedAt = { line: lineNo, column };
          continue;
        }
        out.push({ kind: 'command', value: text, line: lineNo, column });
      }
      continue;
    }
    if (f) {
      const lang = f[3]!.toLowerCase();
      fence = { marker: f[2]!, lang, yaml: lang === 'yaml' || lang === 'yml', shell: SHELL_LANGS.has(lang) };
      continue;
    }
    const y = YAML_REF.exec(line);
    if (y && /^\s*-\s+/.test(line)) {
      const value = yamlScalar(y[3]!);
      if (value !== '') out.push({ kind: y[2] as ReferenceKind, value, line: lineNo, column: y[1]!.length + 1 });
    }
    for (const m of line.matchAll(INLINE_CODE)) {
      const code = m[1]!.trim();
      const column = m.index! + 2;
      const program = code.split(/\s+/)[0]!;
      if (COMMAND_PROGRAMS.has(program) && code.includes(' ')) {
        out.push({ kind: 'command', value: code, line: lineNo, column });
      } else if (looksLikePath(code)) {
        out.push({ kind: 'path', value: code.replace(/^\.\//, ''), line: lineNo, column });
      }
    }
    for (const m of line.matchAll(MD_LINK)) {
      const target = m[1]!.split('#')[0]!;
      if (target === '' || /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('/')) continue;
      let value = target;
      try {
        value = decodeURI(target);
      } catch {
        // keep it as written
      }
      out.push({ kind: 'link', value: value.replace(/^\.\//, ''), line: lineNo, column: m.index! + 3 });
    }
  }
  return out;
}
