/** Go detection from go.mod (module path, `require` lines and blocks) and golangci-lint's config. */
import { type Problem, problem } from '../../problems';
import type { Workspace } from '../../workspace';
import { goSignals } from './catalog';
import { type DetectorResult, EcosystemFindings } from './findings';
import { readProjectFile } from './project-file';

const GOLANGCI = /^\.golangci\.(ya?ml|toml|json)$/;

export async function detectGo(workspace: Workspace, rootNames: readonly string[]): Promise<DetectorResult> {
  if (!rootNames.includes('go.mod')) return { findings: undefined, problems: [] };
  const read = await readProjectFile(workspace, 'go.mod');
  const problems: Problem[] = [...read.problems];
  const f = new EcosystemFindings('go');
  f.languages.add('go');
  f.packageManager = 'go';
  f.testRunners.add('go test');
  f.linters.add('go vet');
  if (rootNames.some((n) => GOLANGCI.test(n))) f.linters.add('golangci-lint');
  if (read.file) {
    const parsed = parseGoMod(read.file.text, 'go.mod');
    problems.push(...parsed.problems);
    if (parsed.module) f.name = parsed.module.split('/').pop();
    f.dependencyCount = parsed.requires.length;
    for (const path of parsed.requires) f.apply(goSignals(path));
  }
  return { findings: f, problems };
}

export interface GoMod {
  module: string | undefined;
  requires: string[];
  problems: Problem[];
}

/** The parts of go.mod detection needs; an unterminated block or a garbled `require` is a problem, not a crash. */
export function parseGoMod(text: string, file: string): GoMod {
  const result: GoMod = { module: undefined, requires: [], problems: [] };
  const lines = text.split(/\r?\n/);
  let block: { directive: string; line: number } | undefined;
  lines.forEach((raw, i) => {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (!line) return;
    if (block) {
      if (line === ')') {
        block = undefined;
        return;
      }
      if (block.directive === 'require') addRequire(line, i + 1);
      return;
    }
    const m = /^(\w+)\s*(.*)$/.exec(line);
    if (!m) {
      result.problems.push(problem(file, i + 1, 1, 'go-mod-syntax', `unexpected text in go.mod: ${line.slice(0, 40)}`));
      return;
    }
    const [, directive = '', rest = ''] = m;
    if (rest === '(') {
      block = { directive, line: i + 1 };
      return;
    }
    if (directive === 'module') result.module = rest.replace(/^"|"$/g, '');
    else if (directive === 'require') addRequire(rest, i + 1);
  });
  if (block) {
    result.problems.push(
      problem(file, block.line, 1, 'go-mod-syntax', `\`${block.directive} (\` block is never closed with \`)\``),
    );
  }
  return result;

  function addRequire(spec: string, line: number): void {
    const parts = spec.split(/\s+/);
    if (parts.length < 2 || !parts[0]) {
      result.problems.push(problem(file, line, 1, 'go-mod-syntax', `expected \`module/path version\`, got "${spec}"`));
      return;
    }
    result.requires.push(parts[0].replace(/^"|"$/g, ''));
  }
}
