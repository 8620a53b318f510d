/** `list_dir`: the entries of one directory (not recursive). */
import { z } from 'zod';
import { displayPath, resolveToolPath } from './paths';
import { capText, defineTool, ToolError } from './tool';

const MAX_ENTRIES = 1000;

const input = z
  .object({
    path: z.string().min(1).optional().describe('Directory, relative to the project root. Default ".".'),
  })
  .strict();

export const listDirTool = defineTool<z.infer<typeof input>>({
  name: 'list_dir',
  description:
    'List one directory: sub-directories end with "/", symbolic links with "@". Not recursive; use glob to find files.',
  input,
  access: 'read',
  target: (i) => i.path ?? '.',
  async run(i, ctx) {
    const abs = resolveToolPath(ctx.root, i.path ?? '.');
    const shown = displayPath(ctx.root, abs);
    const st = await ctx.fs.stat(abs);
    let real = abs;
    if (st?.type === 'symlink') real = await ctx.fs.realPath(abs).catch(() => abs);
    const target = st?.type === 'symlink' ? await ctx.fs.stat(real) : st;
    if (!target) throw new ToolError(`${shown} does not exist`);
    if (target.type !== 'directory') throw new ToolError(`${shown} is not a directory; use read_file`);
    const entries = await ctx.fs.readDir(real);
    const mark = (t: string) => (t === 'directory' ? '/' : t === 'symlink' ? '@' : '');
    const sorted = entries
      .map((e) => ({ name: e.name, dir: e.type === 'directory', text: `${e.name}${mark(e.type)}` }))
      .sort((a, b) => Number(b.dir) - Number(a.dir) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const lines = sorted.slice(0, MAX_ENTRIES).map((e) => e.text);
    if (sorted.length > MAX_ENTRIES) lines.push(`[… ${sorted.length - MAX_ENTRIES} more entries]`);
    const header = `${shown === '.' ? '.' : shown.replace(/\/?$/, '/')} (${sorted.length} entries)`;
    if (lines.length === 0) return { content: `${header}\n(empty)` };
    return { content: capText(`${header}\n${lines.join('\n')}`, ctx.limits.maxResultChars) };
  },
});
