/**
 * Is every program a gate command runs actually there? Resolved, in order:
 *
 * - shell builtins and keywords: always;
 * - a path (`./scripts/check.sh`, `bin/migrate`): an executable file inside the project (or one a task of the
 *   PRP creates); absolute paths must be executable files;
 * - `npm run x`, `npm test`, `pnpm x`, `yarn x`, `bun run x`: the script exists in the package.json of the
 *   directory the command runs in (after a `cd`), and the package manager is on PATH;
 * - `npx x`, `bunx x`, `npm exec x`: `node_modules/.bin/x`, PATH, or a dependency — otherwise a warning, since
 *   it would be downloaded at gate time;
 * - `uv run x`, `poetry run x`, `pipenv run x`: the runner on PATH, and `x` in `.venv/bin`, on PATH or named in
 *   pyproject.toml (warning otherwise);
 * - `make target`: a Makefile exists (and the target is in it, else a warning);
 * - anything else: on PATH (a program only in `node_modules/.bin` gets a warning: run it through npx or a script).
 */
import * as path from 'node:path';
import type { ProgramResolver } from '../ports/program-resolver';
import { isInside, PathEscapeError, type Workspace } from '../workspace';
import { type Invocation, invocationsOf, SHELL_BUILTINS } from './gate-programs';
import { LintRule } from './rules';

export interface ProgramFinding {
  /** The word to point at in the command. */
  word: string;
  rule: string;
  severity: 'error' | 'warning';
  message: string;
}

interface PackageInfo {
  scripts: ReadonlySet<string>;
  dependencies: ReadonlySet<string>;
}

const NPM_SCRIPT_ALIASES: Record<string, string> = {
  test: 'test',
  t: 'test',
  tst: 'test',
  start: 'start',
  stop: 'stop',
  restart: 'restart',
};
const NPM_RUN = new Set(['run', 'run-script', 'rum', 'urn']);
const PNPM_BUILTINS = new Set([
  'add',
  'i',
  'install',
  'up',
  'update',
  'upgrade',
  'rm',
  'remove',
  'un',
  'uninstall',
  'link',
  'ln',
  'unlink',
  'import',
  'rebuild',
  'rb',
  'prune',
  'fetch',
  'patch',
  'patch-commit',
  'audit',
  'ls',
  'list',
  'outdated',
  'why',
  'create',
  'publish',
  'pack',
  'store',
  'env',
  'setup',
  'init',
  'config',
  'c',
  'root',
  'bin',
  'licenses',
  'deploy',
  'doctor',
  'dedupe',
  'server',
]);
const YARN_BUILTINS = new Set([
  'add',
  'install',
  'remove',
  'upgrade',
  'up',
  'why',
  'info',
  'init',
  'config',
  'cache',
  'bin',
  'set',
  'constraints',
  'node',
  'npm',
  'pack',
  'plugin',
  'version',
  'global',
  'audit',
  'outdated',
  'link',
  'unlink',
  'list',
  'licenses',
  'login',
  'logout',
  'publish',
  'check',
  'import',
  'create',
  'dedupe',
  'explain',
  'search',
  'stage',
  'patch',
  'rebuild',
]);
const BUN_BUILTINS = new Set([
  'install',
  'i',
  'add',
  'remove',
  'rm',
  'update',
  'link',
  'unlink',
  'pm',
  'build',
  'init',
  'create',
  'upgrade',
  'test',
  'repl',
  'outdated',
  'publish',
  'audit',
]);
const PYTHON_RUNNERS = new Set(['uv', 'poetry', 'pipenv', 'pdm', 'rye']);
/** Options of `uv run` / `poetry run` that take a value. */
const RUNNER_VALUE_OPTIONS = new Set([
  '--with',
  '--with-requirements',
  '--python',
  '-p',
  '--project',
  '--directory',
  '--package',
  '--extra',
  '--group',
  '--env-file',
  '--index',
  '-C',
]);

export class ProgramChecker {
  private readonly whichCache = new Map<string, Promise<string | undefined>>();
  private readonly packageCache = new Map<string, Promise<PackageInfo | undefined>>();
  private readonly fileCache = new Map<string, Promise<string | undefined>>();

  /**
   * @param plannedFiles project-relative paths the PRP's tasks create: a gate may run a script that does not
   *   exist yet when it is one of them.
   */
  constructor(
    private readonly workspace: Workspace,
    private readonly resolver: ProgramResolver,
    private readonly plannedFiles: ReadonlySet<string> = new Set(),
  ) {}

  /** Findings for one gate command (empty when everything resolves). */
  async check(command: string): Promise<ProgramFinding[]> {
    const findings: ProgramFinding[] = [];
    for (const inv of invocationsOf(command)) findings.push(...(await this.checkInvocation(inv)));
    return findings;
  }

  private async checkInvocation(inv: Invocation): Promise<ProgramFinding[]> {
    const out: ProgramFinding[] = [];
    for (const w of inv.wrappers) {
      if (!(await this.which(w))) out.push(notFound(w));
    }
    const p = inv.program;
    if (!p || /[$`]/.test(p) || p.startsWith('~') || SHELL_BUILTINS.has(p)) return out;
    if (p.includes('/')) {
      const f = await this.checkPath(p, inv.cwd);
      if (f) out.push(f);
      return out;
    }
    switch (p) {
      case 'npm':
        return [...out, ...(await this.npm(inv))];
      case 'npx':
        return [...out, ...(await this.managerThen(inv, () => this.localBin(inv.args, inv.cwd, 'npx')))];
      case 'bunx':
        return [...out, ...(await this.managerThen(inv, () => this.localBin(inv.args, inv.cwd, 'bunx')))];
      case 'pnpm':
        return [...out, ...(await this.pnpmOrYarn(inv, PNPM_BUILTINS))];
      case 'yarn':
        return [...out, ...(await this.pnpmOrYarn(inv, YARN_BUILTINS))];
      case 'bun':
        return [...out, ...(await this.bun(inv))];
      case 'make':
        return [...out, ...(await this.managerThen(inv, () => this.make(inv)))];
    }
    if (PYTHON_RUNNERS.has(p) && inv.args[0] === 'run') {
      return [...out, ...(await this.managerThen(inv, () => this.pythonRun(inv)))];
    }
    if (await this.which(p)) return out;
    const local = await this.fileAt(inv.cwd, `node_modules/.bin/${p}`);
    if (local) {
      out.push({
        word: p,
        rule: LintRule.GateProgramNotFound,
        severity: 'warning',
        message: `"${p}" is not on PATH, only in node_modules/.bin; run it as "npx ${p}" or through an npm script`,
      });
      return out;
    }
    out.push(notFound(p));
    return out;
  }

  /** The package manager itself must be on PATH before what it runs is looked at. */
  private async managerThen(inv: Invocation, next: () => Promise<ProgramFinding[]>): Promise<ProgramFinding[]> {
    if (!(await this.which(inv.program))) return [notFound(inv.program)];
    return next();
  }

  private async checkPath(p: string, cwd: string | undefined): Promise<ProgramFinding | undefined> {
    if (path.isAbsolute(p)) {
      if (await this.resolver.isExecutable(p)) return undefined;
      const st = await this.workspace.fs.stat(p).catch(() => undefined);
      return st
        ? {
            word: p,
            rule: LintRule.GateProgramNotExecutable,
            severity: 'error',
            message: `"${p}" is not an executable file`,
          }
        : { word: p, rule: LintRule.GateProgramNotFound, severity: 'error', message: `"${p}" does not exist` };
    }
    if (cwd === undefined) return undefined;
    const rel = path.posix.normalize(path.posix.join(cwd, p));
    if (!isInside(this.workspace.root, this.workspace.abs(rel))) {
      return {
        word: p,
        rule: LintRule.GateProgramOutsideProject,
        severity: 'error',
        message: `"${p}" is outside the project; gates may only run the project's own scripts or installed programs`,
      };
    }
    let abs: string;
    try {
      abs = await this.workspace.resolveInside(rel);
    } catch (e) {
      if (e instanceof PathEscapeError) {
        return {
          word: p,
          rule: LintRule.GateProgramOutsideProject,
          severity: 'error',
          message: `"${p}" ${e.reason}`,
        };
      }
      throw e;
    }
    const st = await this.workspace.fs.stat(abs);
    const dangling =
      st?.type === 'symlink' &&
      !(await this.workspace.fs.realPath(abs).then(
        () => true,
        () => false,
      ));
    if (!st || dangling) {
      if (this.plannedFiles.has(rel)) return undefined;
      return {
        word: p,
        rule: LintRule.GateProgramNotFound,
        severity: 'error',
        message: `"${p}" does not exist in the project (and no task of this PRP creates it)`,
      };
    }
    if (!(await this.resolver.isExecutable(abs))) {
      return {
        word: p,
        rule: LintRule.GateProgramNotExecutable,
        severity: 'error',
        message: `"${p}" is not executable; run "chmod +x ${rel}" or call it through its interpreter`,
      };
    }
    return undefined;
  }

  private async npm(inv: Invocation): Promise<ProgramFinding[]> {
    if (!(await this.which('npm'))) return [notFound('npm')];
    const args = inv.args;
    if (args.some((a) => /^(?:-w|--workspaces?|-ws|--prefix|-C)(?:=|$)/.test(a))) return [];
    const { sub, rest } = subcommand(args, new Set(['--prefix', '-w', '--workspace', '--loglevel']));
    if (sub === undefined) return [];
    if (NPM_RUN.has(sub)) {
      const script = rest.find((a) => !a.startsWith('-'));
      if (!script || rest.includes('--if-present')) return [];
      return this.script(inv, script, `npm run ${script}`);
    }
    const alias = NPM_SCRIPT_ALIASES[sub];
    if (alias) {
      if (alias === 'start' && (await this.fileAt(inv.cwd, 'server.js'))) return [];
      return this.script(inv, alias, `npm ${sub}`);
    }
    if (sub === 'exec' || sub === 'x') return this.localBin(rest, inv.cwd, 'npm exec');
    return [];
  }

  private async pnpmOrYarn(inv: Invocation, builtins: ReadonlySet<string>): Promise<ProgramFinding[]> {
    const tool = inv.program;
    if (!(await this.which(tool))) return [notFound(tool)];
    const args = inv.args;
    if (args.some((a) => /^(?:-r|--recursive|--filter|-F|-C|--dir|--cwd|workspace|workspaces)(?:=|$)/.test(a)))
      return [];
    const { sub, rest } = subcommand(args, new Set(['--filter', '-F', '-C', '--dir', '--cwd']));
    if (sub === undefined || builtins.has(sub) || sub === 'dlx') return [];
    if (sub === 'exec') return this.localBin(rest, inv.cwd, `${tool} exec`);
    if (sub === 'run') {
      const script = rest.find((a) => !a.startsWith('-'));
      if (!script || rest.includes('--if-present')) return [];
      return this.scriptOrBin(inv, script, `${tool} run ${script}`);
    }
    if (sub === 'test' || sub === 't' || sub === 'start') {
      return this.script(inv, sub === 't' ? 'test' : sub, `${tool} ${sub}`);
    }
    return this.scriptOrBin(inv, sub, `${tool} ${sub}`);
  }

  private async bun(inv: Invocation): Promise<ProgramFinding[]> {
    if (!(await this.which('bun'))) return [notFound('bun')];
    const { sub, rest } = subcommand(inv.args, new Set(['--cwd']));
    if (sub === undefined || BUN_BUILTINS.has(sub)) return [];
    if (sub === 'x') return this.localBin(rest, inv.cwd, 'bun x');
    const target = sub === 'run' ? rest.find((a) => !a.startsWith('-')) : sub;
    if (!target) return [];
    // `bun run x` / `bun x.ts`: a script, a file, or a bin.
    if (target.includes('/') || /\.[cm]?[jt]sx?$/.test(target)) return [];
    return this.scriptOrBin(inv, target, `bun ${sub === 'run' ? 'run ' : ''}${target}`);
  }

  private async script(inv: Invocation, script: string, shown: string): Promise<ProgramFinding[]> {
    if (inv.cwd === undefined) return [];
    const pkg = await this.packageJson(inv.cwd);
    if (!pkg) {
      return [
        {
          word: script,
          rule: LintRule.GateScriptMissing,
          severity: 'error',
          message: `"${shown}" needs a package.json in ${inv.cwd === '.' ? 'the project root' : inv.cwd}, and there is none`,
        },
      ];
    }
    if (pkg.scripts.has(script)) return [];
    const known = [...pkg.scripts].slice(0, 8).join(', ');
    return [
      {
        word: script,
        rule: LintRule.GateScriptMissing,
        severity: 'error',
        message: `"${shown}": package.json has no "${script}" script${known ? ` (it has: ${known})` : ''}`,
      },
    ];
  }

  private async scriptOrBin(inv: Invocation, name: string, shown: string): Promise<ProgramFinding[]> {
    if (inv.cwd === undefined) return [];
    if (await this.fileAt(inv.cwd, `node_modules/.bin/${name}`)) return [];
    const pkg = await this.packageJson(inv.cwd);
    if (pkg?.dependencies.has(name)) return [];
    return this.script(inv, name, shown);
  }

  /** `npx x`: local bin, PATH, or a declared dependency; otherwise it would be downloaded at gate time. */
  private async localBin(args: string[], cwd: string | undefined, via: string): Promise<ProgramFinding[]> {
    let pkgOption: string | undefined;
    let bin: string | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === '-p' || a === '--package') {
        pkgOption = args[++i];
        continue;
      }
      if (a.startsWith('--package=')) {
        pkgOption = a.slice('--package='.length);
        continue;
      }
      if (a === '-c' || a === '--call') return [];
      if (a === '--') continue;
      if (a.startsWith('-')) continue;
      bin = a;
      break;
    }
    if (!bin || cwd === undefined) return [];
    const name = bin.replace(/(?!^)@[^/]*$/, '');
    const binName = name.replace(/^@[^/]+\//, '');
    if (await this.fileAt(cwd, `node_modules/.bin/${binName}`)) return [];
    if (await this.which(binName)) return [];
    const pkg = await this.packageJson(cwd);
    const declared = [name, pkgOption?.replace(/(?!^)@[^/]*$/, '')].filter((n): n is string => Boolean(n));
    if (declared.some((n) => pkg?.dependencies.has(n))) return [];
    return [
      {
        word: bin,
        rule: LintRule.GateNpxDownload,
        severity: 'warning',
        message: `"${via} ${bin}" is not installed in the project; it would be downloaded when the gate runs — add it to devDependencies`,
      },
    ];
  }

  private async make(inv: Invocation): Promise<ProgramFinding[]> {
    if (inv.cwd === undefined) return [];
    if (inv.args.some((a) => /^(?:-C|-f|--file|--directory|--makefile)(?:=|$)/.test(a) || /^-[Cf]./.test(a))) return [];
    let makefile: string | undefined;
    for (const name of ['GNUmakefile', 'makefile', 'Makefile']) {
      makefile ??= await this.fileAt(inv.cwd, name);
    }
    if (!makefile) {
      return [
        {
          word: 'make',
          rule: LintRule.GateProgramNotFound,
          severity: 'error',
          message: 'make: there is no Makefile where this gate runs',
        },
      ];
    }
    const targets = inv.args.filter((a) => !a.startsWith('-') && !a.includes('='));
    if (targets.length === 0) return [];
    let text = '';
    try {
      text = new TextDecoder().decode(await this.workspace.fs.readFile(makefile));
    } catch {
      return [];
    }
    const defined = makeTargets(text);
    const missing = targets.filter((t) => !defined.has(t));
    return missing.map((t) => ({
      word: t,
      rule: LintRule.GateMakeTarget,
      severity: 'warning' as const,
      message: `make: no "${t}" target found in ${this.workspace.rel(makefile!)} (it may come from an include or a pattern rule)`,
    }));
  }

  private async pythonRun(inv: Invocation): Promise<ProgramFinding[]> {
    const args = inv.args.slice(1);
    let i = 0;
    while (i < args.length && args[i]!.startsWith('-')) {
      if (args[i] === '--') {
        i++;
        break;
      }
      if (args[i] === '-m' || args[i] === '--module') return [];
      i += RUNNER_VALUE_OPTIONS.has(args[i]!) ? 2 : 1;
    }
    const program = args[i];
    if (!program || /^python[\d.]*$/.test(program) || /[$`/]/.test(program) || inv.cwd === undefined) return [];
    for (const venv of ['.venv/bin', 'venv/bin']) if (await this.fileAt(inv.cwd, `${venv}/${program}`)) return [];
    if (await this.which(program)) return [];
    const pyproject = await this.fileAt(inv.cwd, 'pyproject.toml');
    if (pyproject) {
      const text = new TextDecoder().decode(await this.workspace.fs.readFile(pyproject).catch(() => new Uint8Array()));
      if (new RegExp(`(?<![\\w-])${escapeRegExp(program)}(?![\\w-])`, 'i').test(text)) return [];
    }
    return [
      {
        word: program,
        rule: LintRule.GateProgramNotFound,
        severity: 'warning',
        message: `"${program}" is not on PATH, not in .venv/bin and not named in pyproject.toml; "${inv.program} run ${program}" will fail unless it is installed`,
      },
    ];
  }

  private which(name: string): Promise<string | undefined> {
    let p = this.whichCache.get(name);
    if (!p) {
      p = this.resolver.which(name);
      this.whichCache.set(name, p);
    }
    return p;
  }

  /** The absolute path of a project file (or symlink) at `cwd/rel`, if it exists inside the project. */
  private fileAt(cwd: string | undefined, rel: string): Promise<string | undefined> {
    if (cwd === undefined) return Promise.resolve(undefined);
    const key = path.posix.join(cwd, rel);
    let p = this.fileCache.get(key);
    if (!p) {
      p = (async () => {
        try {
          const abs = await this.workspace.resolveInside(key);
          return (await this.workspace.fs.stat(abs)) ? abs : undefined;
        } catch {
          return undefined;
        }
      })();
      this.fileCache.set(key, p);
    }
    return p;
  }

  private packageJson(cwd: string): Promise<PackageInfo | undefined> {
    let p = this.packageCache.get(cwd);
    if (!p) {
      p = (async () => {
        const abs = await this.fileAt(cwd, 'package.json');
        if (!abs) return undefined;
        try {
          const json = JSON.parse(new TextDecoder().decode(await this.workspace.fs.readFile(abs))) as unknown;
          if (typeof json !== 'object' || json === null) return undefined;
          const j = json as Record<string, unknown>;
          const keysOf = (v: unknown): string[] =>
            typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.keys(v) : [];
          const scripts = new Set(
            keysOf(j.scripts).filter((k) => typeof (j.scripts as Record<string, unknown>)[k] === 'string'),
          );
          const dependencies = new Set([
            ...keysOf(j.dependencies),
            ...keysOf(j.devDependencies),
            ...keysOf(j.optionalDependencies),
          ]);
          return { scripts, dependencies };
        } catch {
          return undefined;
        }
      })();
      this.packageCache.set(cwd, p);
    }
    return p;
  }
}

function notFound(program: string): ProgramFinding {
  return {
    word: program,
    rule: LintRule.GateProgramNotFound,
    severity: 'error',
    message: `"${program}" is not on PATH: install it, or use a script of the project`,
  };
}

/** The first non-option argument and what follows it; options listed in `withValue` consume the next word. */
function subcommand(args: string[], withValue: ReadonlySet<string>): { sub: string | undefined; rest: string[] } {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (withValue.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    return { sub: a, rest: args.slice(i + 1) };
  }
  return { sub: undefined, rest: [] };
}

/** Target names declared in a Makefile (`a b: deps`, `a::`, `.PHONY: x`), not variable assignments. */
export function makeTargets(text: string): Set<string> {
  const targets = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^([^\t#\s:=][^:=#]*?)\s*::?(?!=)/.exec(line);
    if (m) for (const t of m[1]!.split(/\s+/)) if (t) targets.add(t);
  }
  return targets;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Normalised project-relative form of a path written in a PRP (`./src/x.ts` → `src/x.ts`). */
export function normalizeProjectPath(p: string): string {
  return path.posix.normalize(p.replace(/\\/g, '/')).replace(/^\.\//, '');
}
