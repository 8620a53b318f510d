/**
 * Where a path really is, and whether the agent may write or read it.
 *
 * Every decision is taken on the **canonical** path: each component is resolved through `realPath` (the
 * FileSystem port), with `..` applied to the real parent — so a symlink inside the project pointing to `~/.ssh`,
 * `link/../x` through a symlinked directory, and a sibling directory sharing the project's name prefix
 * (`/tmp/proj-evil` vs `/tmp/proj`) are all seen for what they are. A dangling symlink is refused (its target
 * cannot be proven to stay inside). Protected and sensitive names are compared case-insensitively, after NFC
 * normalisation and with trailing dots/spaces removed, so `.GIT/hooks`, `.Vscode` or `.git./config` do not slip
 * through on case-insensitive file systems (Cursor CVE-2025-59944). Both the lexical and the canonical form
 * are checked: a symlink named `notes.txt` that points at `.env` is sensitive, and so is a link named `.env`.
 */
import * as path from 'node:path';
import picomatch from 'picomatch';
import type { FileSystem } from '../ports/file-system';
import { canonicalPath, isInside } from '../workspace';

export interface PathEnvironment {
  /** The project root (absolute). */
  root: string;
  /** The user's home directory (absolute), for `~`, `~/.ssh` and friends. */
  home: string;
  fs: Pick<FileSystem, 'realPath' | 'stat'>;
  /**
   * Absolute paths outside (or inside) the project that are always refused for writing: the user-level
   * approvals store and settings of Context Forge.
   */
  protectedPaths?: readonly string[];
  /**
   * Files or folders read-only for this run only, each with the reason shown to the model and the user —
   * e.g. the PRP being executed, so the agent cannot weaken the gates that judge its own work.
   */
  readOnlyPaths?: readonly ReadOnlyPath[];
}

/** A path the agent may read but never write during one run. */
export interface ReadOnlyPath {
  /** Absolute. */
  path: string;
  /** Why, in words for the model and the user ("the PRP being executed; its Validation Loop gates this work"). */
  reason: string;
}

export interface ResolvedPath {
  /** As the caller wrote it. */
  requested: string;
  /** Absolute, `..` applied lexically (what a reader of the command would assume). */
  lexical: string;
  /** Absolute, symlinks resolved component by component; a missing tail is appended as written. */
  real: string;
  /** `real` is inside the (canonical) project root. */
  inside: boolean;
  /** The path cannot be resolved safely (a dangling symlink, an unreadable component): treat as outside. */
  unresolvable?: string;
}

/** Directory names that are control surfaces wherever they appear (nested repositories and workspaces too). */
const PROTECTED_DIRS = new Set([
  '.git',
  '.vscode',
  '.idea',
  '.claude',
  '.cursor',
  '.gemini',
  '.husky',
  '.devcontainer',
  '.context-forge',
]);

/** File names that are control surfaces wherever they appear. */
const PROTECTED_FILES = new Set([
  '.mcp.json',
  '.envrc',
  '.bashrc',
  '.bash_profile',
  '.bash_login',
  '.bash_logout',
  '.profile',
  '.zshrc',
  '.zshenv',
  '.zprofile',
  '.zlogin',
  '.zlogout',
  '.kshrc',
  '.cshrc',
  '.tcshrc',
  '.gitconfig',
]);

/** Environment-file templates that carry no secrets by convention. */
const ENV_TEMPLATES = new Set(['.env.example', '.env.sample', '.env.template', '.env.dist']);

const SENSITIVE_FILE_NAMES = new Set([
  '.netrc',
  '_netrc',
  '.npmrc',
  '.pypirc',
  '.git-credentials',
  '.pgpass',
  '.htpasswd',
]);

const SENSITIVE_EXTENSIONS = ['.pem', '.key', '.p12', '.pfx', '.jks', '.keystore', '.ppk'];

/** Home-relative places that hold credentials. */
const SENSITIVE_IN_HOME = [
  '.ssh',
  '.aws',
  '.gnupg',
  '.azure',
  '.kube',
  '.password-store',
  '.config/gcloud',
  '.config/gh',
  '.docker/config.json',
  '.local/share/keyrings',
];

const SENSITIVE_ABSOLUTE = picomatch(
  ['/proc/*/environ', '/proc/*/mem', '/etc/shadow', '/etc/gshadow', '/etc/sudoers'],
  {
    dot: true,
  },
);

/** A path component folded for comparison: NFC, lower case, no trailing dots or spaces (Windows ignores them). */
export function foldName(name: string): string {
  return name
    .normalize('NFC')
    .toLowerCase()
    .replace(/[. ]+$/, (m) => (m === name ? m : ''));
}

function components(relative: string): string[] {
  return relative.split(/[\\/]+/).filter((c) => c !== '' && c !== '.');
}

export class PathGuard {
  private realRoot: string | undefined;
  private realHome: string | undefined;

  constructor(readonly env: PathEnvironment) {}

  async canonicalRoot(): Promise<string> {
    if (this.realRoot === undefined) this.realRoot = await this.env.fs.realPath(this.env.root);
    return this.realRoot;
  }

  private async canonicalHome(): Promise<string> {
    if (this.realHome === undefined) {
      try {
        this.realHome = await this.env.fs.realPath(this.env.home);
      } catch {
        this.realHome = path.resolve(this.env.home);
      }
    }
    return this.realHome;
  }

  /**
   * Resolves `requested` (relative to `cwd`, default the project root; `~`-relative when `home` is set).
   * Never throws for a path that does not exist.
   */
  async resolve(requested: string, options: { cwd?: string; home?: boolean } = {}): Promise<ResolvedPath> {
    const base = options.home ? this.env.home : (options.cwd ?? this.env.root);
    const lexical = path.resolve(base, requested);
    const root = await this.canonicalRoot();
    if (requested.includes('\0')) {
      return { requested, lexical, real: lexical, inside: false, unresolvable: 'contains a NUL byte' };
    }
    const canonical = await canonicalPath(this.env.fs, base, requested);
    if (canonical.unresolvable) {
      return { requested, lexical, real: canonical.real, inside: false, unresolvable: canonical.unresolvable };
    }
    return { requested, lexical, real: canonical.real, inside: isInside(root, canonical.real) };
  }

  /** Project-relative, folded components of an absolute path inside the root; `undefined` when outside. */
  private async relativeFolded(absolute: string): Promise<string[] | undefined> {
    const root = await this.canonicalRoot();
    for (const r of [root, path.resolve(this.env.root)]) {
      if (isInside(r, absolute)) return components(path.relative(r, absolute)).map(foldName);
    }
    return undefined;
  }

  /** Why the agent may never write `p`, or `undefined` when the path is an ordinary project file. */
  async protectedWrite(p: ResolvedPath): Promise<string | undefined> {
    if (p.unresolvable) return `"${p.requested}" ${p.unresolvable}`;
    const named = await this.protectedName(p);
    if (named) return named;
    if (!p.inside) return `"${p.requested}" is outside the project (${p.real})`;
    return undefined;
  }

  private readonly readOnlyReals = new Map<string, string>();

  /** A read-only path with its symlinks resolved (so a link to it, or a link on its way, is seen too). */
  private async readOnlyReal(p: string): Promise<string> {
    let real = this.readOnlyReals.get(p);
    if (real === undefined) {
      real = (await canonicalPath(this.env.fs, path.dirname(p), p)).real;
      this.readOnlyReals.set(p, real);
    }
    return real;
  }

  /** Why `p` names a control surface (wherever it is), or `undefined`. Outside-ness is not judged here. */
  async protectedName(p: ResolvedPath): Promise<string | undefined> {
    for (const abs of this.env.protectedPaths ?? []) {
      if (isInside(abs, p.real) || isInside(abs, p.lexical)) {
        return `"${p.requested}" is Context Forge's own approvals/settings store`;
      }
    }
    for (const ro of this.env.readOnlyPaths ?? []) {
      if (isInside(ro.path, p.real) || isInside(ro.path, p.lexical))
        return `"${p.requested}" is read-only: ${ro.reason}`;
      const real = await this.readOnlyReal(ro.path);
      if (real !== ro.path && (isInside(real, p.real) || isInside(real, p.lexical))) {
        return `"${p.requested}" is read-only: ${ro.reason}`;
      }
    }
    for (const candidate of [p.lexical, p.real]) {
      const rel = await this.relativeFolded(candidate);
      const all = rel ?? components(candidate).map(foldName);
      const base = all[all.length - 1];
      if (base !== undefined && PROTECTED_FILES.has(base))
        return `"${p.requested}" (${base}) is a protected control file`;
      if (!rel) continue;
      const dir = rel.find((c) => PROTECTED_DIRS.has(c));
      if (dir) return `"${p.requested}" is inside ${dir}/, which only you may change`;
    }
    return undefined;
  }

  /** Why reading `p` would expose secrets, or `undefined`. */
  async sensitiveRead(p: ResolvedPath): Promise<string | undefined> {
    const home = await this.canonicalHome();
    for (const candidate of [p.lexical, p.real]) {
      const name = foldName(path.basename(candidate));
      if (name === '.env' || (name.startsWith('.env.') && !ENV_TEMPLATES.has(name))) {
        return `"${p.requested}" is an environment file that usually holds secrets`;
      }
      if (SENSITIVE_FILE_NAMES.has(name)) return `"${p.requested}" (${name}) usually holds credentials`;
      if (SENSITIVE_EXTENSIONS.some((ext) => name.endsWith(ext))) {
        return `"${p.requested}" looks like a private key or certificate store`;
      }
      if (/^id_(rsa|dsa|ecdsa|ed25519)(?:_sk)?(?!.*\.pub$)/.test(name)) {
        return `"${p.requested}" looks like an SSH private key`;
      }
      for (const h of new Set([home, path.resolve(this.env.home)])) {
        if (!isInside(h, candidate) || h === candidate) continue;
        const rel = components(path.relative(h, candidate)).map(foldName).join('/');
        const hit = SENSITIVE_IN_HOME.find((s) => rel === s || rel.startsWith(`${s}/`));
        if (hit) return `"${p.requested}" is inside ~/${hit}, which holds credentials`;
      }
      if (SENSITIVE_ABSOLUTE(candidate)) return `"${p.requested}" exposes system or process secrets`;
      const rel = await this.relativeFolded(candidate);
      if (rel) {
        const joined = rel.join('/');
        if (joined === '.git/config' || /(^|\/)\.git\/config$/.test(joined)) {
          return `"${p.requested}" (.git/config) may hold credentials in remote URLs`;
        }
        if (rel[0] === 'secrets' && rel.length > 1) return `"${p.requested}" is inside secrets/`;
      }
    }
    return undefined;
  }

  /** True when `p` is the project root, an ancestor of it, `/`, or the home directory: `rm -rf` there is catastrophic. */
  async isCatastrophicTarget(p: ResolvedPath): Promise<boolean> {
    const root = await this.canonicalRoot();
    const home = await this.canonicalHome();
    for (const candidate of [p.lexical, p.real]) {
      if (isInside(candidate, root)) return true; // the root itself or one of its ancestors (incl. "/")
      if (candidate === home || candidate === path.resolve(this.env.home)) return true;
      if (candidate === path.parse(candidate).root) return true;
    }
    return false;
  }
}
