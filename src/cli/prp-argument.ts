/** `<prp>` on the command line: a path (`PRPs/x.md`) or a name (`x` → `PRPs/x.md`, then `PRPs/completed/x.md`). */
import { PathEscapeError } from '../core/workspace';
import type { CliContext } from './context';
import { UsageError } from './errors';

export async function resolvePrpArgument(ctx: CliContext, arg: string): Promise<string> {
  const candidates = /[/\\]|\.md$/i.test(arg) ? [arg] : [`PRPs/${arg}.md`, `PRPs/completed/${arg}.md`, arg];
  for (const candidate of candidates) {
    let abs: string;
    try {
      abs = await ctx.workspace.resolveInside(candidate);
    } catch (err) {
      if (err instanceof PathEscapeError)
        throw new UsageError(`${arg}: ${err.reason}; PRPs must be inside the project`);
      throw err;
    }
    const st = await ctx.workspace.fs.stat(abs);
    if (st && (st.type === 'file' || st.type === 'symlink')) return ctx.workspace.rel(abs);
  }
  throw new UsageError(`no PRP "${arg}" (looked for ${candidates.join(', ')})`);
}
