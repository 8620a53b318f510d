/**
 * `grep`: search file contents with a regular expression (JavaScript syntax). Files the agent may not read are
 * left out; binary, oversized and non-UTF-8 files are skipped. A pattern with a quantified group that itself
 * contains an unbounded quantifier (`(a+)+`, `(.*x)*`) is refused: such patterns can backtrack for hours on one
 * line, and the model can always write a simpler one.
 */

import picomatch from 'picomatch';
import { z } from 'zod';
import { decodeUtf8 } from '../../text';
import { displayPath, resolveToolPath } from './paths';
import { capText, defineTool, ToolError } from './tool';
import { namedSkippedDirs, walkTree } from './walk';

const DEFAULT_RESULTS = 200;
const MAX_LINE = 2000;
const SHOWN_LINE = 300;

const input = z
  .object({
    pattern: z.string().min(1).max(500).describe('A JavaScript regular expression, e.g. "function\\\\s+add".'),
    path: z
      .string()
      .min(1)
      .optional()
      .describe('File or directory to search, relative to the project root. Default ".".'),
    glob: z
      .string()
      .min(1)
      .max(500)
      .optional()
      .describe('Only files whose path (relative to `path`) matches this glob.'),
    ignore_case: z.boolean().optional(),
    max_results: z.number().int().min(1).max(1000).optional().describe(`Default ${DEFAULT_RESULTS}.`),
  })
  .strict();

/** True when the pattern nests unbounded quantifiers (catastrophic backtracking). */
export function hasNestedQuantifier(pattern: string): boolean {
  const stack: boolean[] = [];
  let inner = false; // the current group has an unbounded quantifier so far
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') {
      stack.push(inner);
      inner = false;
    } else if (c === ')') {
      const groupHadUnbounded = inner;
      inner = stack.pop() ?? false;
      const next = pattern[i + 1];
      const quantified = next === '*' || next === '+' || (next === '{' && /^\{\d*,\}/.test(pattern.slice(i + 1)));
      if (quantified && groupHadUnbounded) return true;
      if (groupHadUnbounded || quantified) inner = true;
    } else if (c === '*' || c === '+' || (c === '{' && /^\{\d*,\}/.test(pattern.slice(i)))) inner = true;
  }
  return false;
}

export const grepTool = defineTool<z.infer<typeof input>>({
  name: 'grep',
  description:
    'Search file contents with a JavaScript regular expression. Returns "path:line: text" for each matching line ' +
    '(long lines are cut). Use `glob` to restrict the files, e.g. "**/*.ts".',
  input,
  access: 'read',
  target: (i) => i.path ?? '.',
  async run(i, ctx) {
    if (hasNestedQuantifier(i.pattern)) {
      throw new ToolError(
        `the pattern ${JSON.stringify(i.pattern)} nests repeated groups (like "(a+)+"), which can take exponential time; simplify it`,
      );
    }
    let re: RegExp;
    try {
      re = new RegExp(i.pattern, i.ignore_case ? 'i' : '');
    } catch (err) {
      throw new ToolError(`invalid regular expression: ${(err as Error).message}`);
    }
    const base = resolveToolPath(ctx.root, i.path ?? '.');
    const st = await ctx.fs.stat(base);
    if (!st) throw new ToolError(`${displayPath(ctx.root, base)} does not exist`);
    const filter = i.glob ? picomatch(i.glob.replace(/^\.\//, ''), { dot: true }) : undefined;
    let files: Array<{ abs: string; rel: string }>;
    let truncated = false;
    if (st.type === 'file') files = [{ abs: base, rel: displayPath(ctx.root, base) }];
    else if (st.type === 'directory') {
      const walk = await walkTree(ctx.fs, base, {
        maxEntries: ctx.limits.maxWalkEntries,
        include: namedSkippedDirs(i.glob ?? ''),
        signal: ctx.signal,
      });
      truncated = walk.truncated;
      files = walk.entries.filter((e) => e.type === 'file' && (!filter || filter(e.rel)));
    } else throw new ToolError(`${displayPath(ctx.root, base)} is not a file or directory`);

    const max = i.max_results ?? DEFAULT_RESULTS;
    const hits: string[] = [];
    let hidden = 0;
    let skipped = 0;
    outer: for (const f of files) {
      if (ctx.signal.aborted) break;
      if (!(await ctx.policy.canShow(f.abs))) {
        hidden++;
        continue;
      }
      const info = await ctx.fs.stat(f.abs);
      if (!info || info.size > ctx.limits.maxFileBytes) {
        skipped++;
        continue;
      }
      const bytes = await ctx.fs.readFile(f.abs).catch(() => undefined);
      if (!bytes || bytes.subarray(0, 8192).includes(0)) continue;
      const decoded = decodeUtf8(bytes, f.rel, ctx.limits.maxFileBytes);
      if (decoded.problems.length > 0) continue;
      const shown = displayPath(ctx.root, f.abs);
      const lines = decoded.text.split('\n');
      for (let n = 0; n < lines.length; n++) {
        const line = lines[n]!.replace(/\r$/, '');
        if (!re.test(line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line)) continue;
        const text = line.length > SHOWN_LINE ? `${line.slice(0, SHOWN_LINE)}…` : line;
        hits.push(`${shown}:${n + 1}: ${text}`);
        if (hits.length > max) break outer;
      }
    }
    const out = hits.slice(0, max);
    if (hits.length > max) out.push(`[more than ${max} matches; narrow the pattern or the path]`);
    if (out.length === 0) out.push(`No matches for ${JSON.stringify(i.pattern)}.`);
    if (truncated) out.push(`[stopped after ${ctx.limits.maxWalkEntries} entries; search a smaller folder]`);
    if (skipped > 0) out.push(`[${skipped} file(s) over ${ctx.limits.maxFileBytes} bytes skipped]`);
    if (hidden > 0) out.push(`[${hidden} file(s) not searched: the permission policy does not allow reading them]`);
    return { content: capText(out.join('\n'), ctx.limits.maxResultChars) };
  },
});
