/**
 * `<prp>` on the command line: a path relative to the project root (`PRPs/x.md`), or a PRP name —
 * `my-feature` → `PRPs/my-feature.md` (then `PRPs/completed/my-feature.md`), `completed/old` →
 * `PRPs/completed/old.md`. Paths outside the project are refused.
 */
import { PathEscapeError } from '../core/workspace';
import type { CliContext } from './context';
import { UsageError } from './errors';

export async function resolvePrpArgument(ctx: CliContext, arg: string): Promise<string> {
  if (!arg.trim()) throw new UsageError('name a PRP: a path such as PRPs/my-feature.md, or a name such as my-feature');
  const isMd = /\.md$/i.test(arg);
  const pathLike = isMd || arg.includes('/') || arg.includes('\\');
  const candidates = [
    ...(pathLike ? [arg] : []),
    ...(isMd ? [`PRPs/${arg}`] : [`PRPs/${arg}.md`, `PRPs/completed/${arg}.md`]),
  ];
  for (const candidate of candidates) {
    let abs: string;
    try {
      abs = await ctx.workspace.resolveInside(candidate);
    } catch (e) {
      if (e instanceof PathEscapeError) {
        if (candidate === arg)
          throw new UsageError(`PRP path "${arg}" ${e.reason}; PRPs are read from inside the project only`);
        continue;
      }
      throw e;
    }
    const st = await ctx.workspace.fs.stat(abs);
    if (st && st.type !== 'directory') return ctx.workspace.rel(abs);
  }
  throw new UsageError(`no PRP "${arg}": looked for ${candidates.map((c) => `"${c}"`).join(', ')} in ${ctx.root}`);
}
