/** `glob`: files of the project matching a glob pattern, without the ones the agent may not see. */
import picomatch from 'picomatch';
import { z } from 'zod';
import { displayPath, resolveToolPath } from './paths';
import { capText, defineTool, ToolError } from './tool';
import { namedSkippedDirs, walkTree } from './walk';

const MAX_RESULTS = 500;

const input = z
  .object({
    pattern: z.string().min(1).max(500).describe('Glob relative to `path`, e.g. "src/**/*.ts" or "**/*.test.*".'),
    path: z.string().min(1).optional().describe('Directory to search from, relative to the project root. Default ".".'),
  })
  .strict();

export const globTool = defineTool<z.infer<typeof input>>({
  name: 'glob',
  description:
    'Find files by glob pattern (`*`, `**`, `?`, `{a,b}`, `[abc]`). Returns matching paths relative to the project ' +
    'root, sorted. .git, node_modules and similar folders are searched only when the pattern names them.',
  input,
  access: 'read',
  target: (i) => i.path ?? '.',
  async run(i, ctx) {
    const base = resolveToolPath(ctx.root, i.path ?? '.');
    const st = await ctx.fs.stat(base);
    if (st?.type !== 'directory') throw new ToolError(`${displayPath(ctx.root, base)} is not a directory`);
    const pattern = i.pattern.replace(/^\.\//, '');
    const isMatch = picomatch(pattern, { dot: true });
    const walk = await walkTree(ctx.fs, base, {
      maxEntries: ctx.limits.maxWalkEntries,
      include: namedSkippedDirs(pattern),
      signal: ctx.signal,
    });
    const found: string[] = [];
    let hidden = 0;
    for (const e of walk.entries) {
      if (e.type === 'directory' || !isMatch(e.rel)) continue;
      if (!(await ctx.policy.canShow(e.abs))) {
        hidden++;
        continue;
      }
      found.push(displayPath(ctx.root, e.abs));
      if (found.length > MAX_RESULTS) break;
    }
    const lines = found.slice(0, MAX_RESULTS);
    if (found.length > MAX_RESULTS) lines.push(`[more than ${MAX_RESULTS} matches; narrow the pattern]`);
    if (walk.truncated) lines.push(`[stopped after ${ctx.limits.maxWalkEntries} entries; search a smaller folder]`);
    if (hidden > 0)
      lines.push(`[${hidden} matching file(s) not shown: the permission policy does not allow reading them]`);
    if (found.length === 0) lines.unshift(`No files match ${JSON.stringify(i.pattern)}.`);
    return { content: capText(lines.join('\n'), ctx.limits.maxResultChars) };
  },
});
