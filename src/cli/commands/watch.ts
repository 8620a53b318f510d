/**
 * `watch`: runs the `onFileChange` hooks from settings when project files change (debounced; ignores
 * `.git`, `node_modules`, `.context-forge` and the hooks' own writes) until interrupted.
 */
import type { Command } from 'commander';
import { NodeProcessRunner } from '../../node/process-runner';
import { WatchService } from '../../node/watch-service';
import { action } from '../command';
import { UsageError } from '../errors';
import { ExitCode } from '../exit-codes';
import { requireProjectApproval } from '../project-trust';
import { loadSettingsOrFail } from '../settings-loader';

export function registerWatch(program: Command): void {
  program
    .command('watch')
    .description('run the onFileChange hooks from .claude/settings.local.json when files change (Ctrl-C to stop)')
    .option('-y, --yes', "approve the project's hook commands for this invocation")
    .action(
      action(async (ctx, opts: { yes?: boolean }) => {
        const settings = await loadSettingsOrFail(ctx);
        const hooks = settings.orchestration.hooks.onFileChange;
        if (hooks.length === 0) {
          throw new UsageError(
            'no onFileChange hooks in .claude/settings.local.json (orchestration.hooks.onFileChange)',
          );
        }
        const scripts = hooks.flatMap((h) => (h.kind === 'run' ? [h.script] : []));
        if (scripts.length > 0)
          await requireProjectApproval(ctx, scripts, { yes: Boolean(opts.yes), context: 'onFileChange hooks' });
        const service = new WatchService({
          root: ctx.root,
          hooks,
          runner: new NodeProcessRunner(),
          onOutput: (_hook, text) => ctx.out.out(`  ${text}`),
          onFired: (f) => {
            const what = f.hook.kind === 'run' ? f.hook.script : f.hook.line;
            const result = f.error ? `error: ${f.error}` : `exit ${f.exitCode}`;
            ctx.out.out(
              `${new Date().toLocaleTimeString()} onFileChange (${f.files.length} file${f.files.length === 1 ? '' : 's'}: ${f.files.slice(0, 3).join(', ')}${f.files.length > 3 ? ', …' : ''}) → ${what}: ${result}`,
            );
          },
        });
        await service.start();
        ctx.out.out(`Watching ${ctx.root} (${hooks.length} hook${hooks.length === 1 ? '' : 's'}); Ctrl-C to stop.`);
        await new Promise<void>((resolve) => {
          if (ctx.signal.aborted) resolve();
          ctx.signal.addEventListener('abort', () => resolve(), { once: true });
        });
        await service.close();
        return ExitCode.Interrupted;
      }),
    );
}
