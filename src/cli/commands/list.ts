/**
 * `list [--json]`: the project's slash commands, PRPs (active and completed), workflows (with their steps and
 * variables) and PRP templates. Problems in those files are reported on stderr; a broken workflow file does
 * not hide the rest.
 */
import type { Command } from 'commander';
import { readSlashCommands } from '../../core/commands/read-slash-commands';
import type { Problem } from '../../core/problems';
import { listPrps } from '../../core/prp';
import { workflowVariables } from '../../core/workflow/bind';
import { readWorkflows } from '../../core/workflow/read-workflows';
import { action } from '../command';
import { ExitCode } from '../exit-codes';

export function registerList(program: Command): void {
  program
    .command('list')
    .description('list slash commands, PRPs, workflows and templates')
    .option('--json', 'print JSON')
    .action(
      action(async (ctx, opts: { json?: boolean }) => {
        const [commands, prps, workflows] = await Promise.all([
          readSlashCommands(ctx.workspace),
          listPrps(ctx.workspace),
          readWorkflows(ctx.workspace),
        ]);
        const problems: Problem[] = [...commands.problems, ...prps.problems, ...workflows.problems];
        ctx.out.problems(problems);
        const result = {
          commands: (commands.value ?? []).map((c) => ({
            name: c.name,
            description: c.description ?? '',
            file: c.file,
            ...(c.argumentHint ? { argumentHint: c.argumentHint } : {}),
          })),
          prps: (prps.value?.prps ?? []).map((p) => ({ name: p.name, file: p.file, title: p.title, status: p.status })),
          workflows: (workflows.value?.workflows ?? []).map((w) => ({
            name: w.name,
            description: w.description ?? '',
            steps: w.steps.map((s) => s.label),
            variables: workflowVariables(w).map((v) => ({
              name: v.name,
              required: v.required,
              ...(v.description ? { description: v.description } : {}),
              ...(v.default !== undefined ? { default: v.default } : {}),
            })),
          })),
          templates: (prps.value?.templates ?? []).map((t) => ({ name: t.name, file: t.file, title: t.title })),
        };
        if (opts.json) {
          ctx.out.json(result);
          return ExitCode.Ok;
        }
        const s = ctx.out.style;
        const section = (title: string, rows: string[]) => {
          ctx.out.out(s('bold', `${title} (${rows.length})`));
          for (const r of rows) ctx.out.out(`  ${r}`);
        };
        section(
          'Slash commands',
          result.commands.map(
            (c) => `/${c.name}${c.argumentHint ? ` ${c.argumentHint}` : ''}  ${s('dim', c.description)}`,
          ),
        );
        section(
          'PRPs',
          result.prps.map((p) => `${p.name}  ${s('dim', `${p.title} · ${p.status}`)}`),
        );
        section(
          'Workflows',
          result.workflows.map(
            (w) =>
              `${w.name}  ${s('dim', `${w.description} · ${w.steps.length} steps${w.variables.length ? ` · vars ${w.variables.map((v) => v.name).join(', ')}` : ''}`)}`,
          ),
        );
        section(
          'Templates',
          result.templates.map((t) => `${t.name}  ${s('dim', t.title)}`),
        );
        return ExitCode.Ok;
      }),
    );
}
