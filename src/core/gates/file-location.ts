/**
 * Turning the file name a tool printed into a project-relative path, the way VS Code's problem matchers do
 * (`fileLocation`: relative / absolute / autoDetect, plus `search`), without touching the disk: existence is
 * asked of an injected predicate or a set of known files, so the core stays pure.
 *
 * Paths are handled as text with `/` separators whatever the host OS: tool output may carry Windows paths
 * (`C:\proj\src\a.ts`, drive letters compared case-insensitively) on any machine.
 *
 * Deliberate differences from VS Code (documented in the matcher docs):
 * - an absolute path printed under a `relative` matcher stays absolute (VS Code would join it under the base
 *   directory, which never names a real file);
 * - a relative path printed under an `absolute` matcher is resolved against the base directory (VS Code would
 *   prefix `/`).
 */
import * as path from 'node:path';
import { isAbsolutePath } from './diagnostic';

export type FileLocationKind = 'relative' | 'absolute' | 'autoDetect' | 'search';

export interface FileLocationContext {
  /** Absolute project root, `/`-separated and normalized (see `normalizeAbsolute`). */
  root: string;
  /** `exists(absolutePath)`, or undefined when nothing is known about the disk. */
  exists?: (absolutePath: string) => boolean;
  /** Project-relative path of the only known file whose path ends with `/<tail>` (or equals it). */
  findBySuffix?: (tail: string) => string | undefined;
}

/** Backslashes to `/`, a `file://` URI prefix removed, surrounding whitespace and quotes trimmed. */
export function toSlashes(p: string): string {
  let s = p.trim();
  if (s.length > 1 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0]) s = s.slice(1, -1);
  if (s.startsWith('file://')) {
    s = s.slice(7);
    // file:///C:/x → C:/x
    if (/^\/[A-Za-z]:\//.test(s)) s = s.slice(1);
    try {
      s = decodeURIComponent(s);
    } catch {
      // keep the raw text
    }
  }
  return s.includes('\\') ? s.replace(/\\/g, '/') : s;
}

/** `.` and `..` segments resolved, duplicate slashes collapsed, trailing slash dropped; drive letters kept. */
export function normalizeAbsolute(p: string): string {
  const s = toSlashes(p);
  const unc = s.startsWith('//');
  let n = path.posix.normalize(s);
  if (n.length > 1 && n.endsWith('/') && !/^[A-Za-z]:\/$/.test(n)) n = n.slice(0, -1);
  if (unc && !n.startsWith('//')) n = `/${n}`;
  return n;
}

export function joinPath(base: string, rel: string): string {
  return normalizeAbsolute(`${base}/${rel}`);
}

/**
 * The absolute, normalized path a tool meant by `printed`, given the matcher's file location kind and base
 * directory (already absolute).
 */
export function resolvePrintedPath(
  printed: string,
  kind: FileLocationKind,
  base: string,
  ctx: FileLocationContext,
): string {
  const p = toSlashes(printed);
  const absolute = isAbsolutePath(p);
  switch (kind) {
    case 'absolute':
    case 'relative':
      return absolute ? normalizeAbsolute(p) : joinPath(base, p);
    case 'autoDetect':
    case 'search': {
      const exists = ctx.exists;
      if (absolute) {
        const abs = normalizeAbsolute(p);
        if (!exists || exists(abs)) return abs;
        // VS Code tries the name relative to the base first; a tool that printed `/src/a.ts` meaning the project.
        const under = joinPath(base, p);
        return exists(under) ? under : abs;
      }
      const candidate = joinPath(base, p);
      if (!exists || exists(candidate)) return candidate;
      if (base !== ctx.root) {
        const fromRoot = joinPath(ctx.root, p);
        if (exists(fromRoot)) return fromRoot;
      }
      if (kind === 'search' && ctx.findBySuffix) {
        const tail = normalizeAbsolute(p).replace(/^(\.\.?\/)+/, '');
        const found = ctx.findBySuffix(tail);
        if (found !== undefined) return joinPath(ctx.root, found);
      }
      return candidate;
    }
  }
}

/**
 * `abs` relative to `root` with `/` separators when it is inside the root; otherwise `abs` itself (absolute:
 * the diagnostic is about a file outside the project).
 */
export function toProjectRelative(root: string, abs: string): string {
  if (abs === root) return '.';
  const caseInsensitive = /^[A-Za-z]:/.test(root);
  const prefix = root.endsWith('/') ? root : `${root}/`;
  const head = abs.slice(0, prefix.length);
  const inside = caseInsensitive ? head.toLowerCase() === prefix.toLowerCase() : head === prefix;
  return inside ? abs.slice(prefix.length) : abs;
}

/** Expands `${root}`, `${workspaceFolder}`, `${workspaceRoot}` and `${cwd}` in a matcher's base directory. */
export function expandBase(base: string, root: string, cwd: string): string {
  const expanded = base.replace(/\$\{(workspaceFolder|workspaceRoot|root|cwd)\}/g, (_m, name: string) =>
    name === 'cwd' ? cwd : root,
  );
  return isAbsolutePath(toSlashes(expanded)) ? normalizeAbsolute(expanded) : joinPath(root, expanded);
}
