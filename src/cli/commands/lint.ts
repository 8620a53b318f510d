/**
 * `lint <prp> [--json] [--format text|json|sarif]`: deterministic checks of a PRP, no model involved.
 * Exit 1 when there are errors, 0 otherwise, 2 when the file is missing, outside the project or unreadable.
 */
import { type Command, Option } from 'commander';
import { LINT_RULES, type LintReport, lintPrp } from '../../core/lint';
import { formatProblem, InputError, type Problem } from '../../core/problems';
import { loadProjectFacts } from '../../core/project/load-facts';
import { toSarif } from '../../core/report/sarif';
import { TOOL_INFORMATION_URI, TOOL_NAME } from '../../core/report/tool';
import { NodeProgramResolver } from '../../node/node-program-resolver';
import { packageVersion } from '../../node/package-root';
import { action } from '../command';
import type { CliContext } from '../context';
import { ExitCode } from '../exit-codes';
import { resolvePrpArgument } from '../prp-argument';

export type LintFormat = 'text' | 'json' | 'sarif';

interface LintFlags {
  json?: boolean;
  format: LintFormat;
}

export function registerLint(program: Command): void {
  program
    .command('lint <prp>')
    .description(
      'check a PRP (a path, or a name such as my-feature for PRPs/my-feature.md): required sections, gate ' +
        'commands, references, placeholders, hidden Unicode, conditional blocks',
    )
    .option('--json', 'print the report as JSON on stdout (same as --format json)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .action(action(runLint));
}

async function runLint(ctx: CliContext, prp: string, flags: LintFlags): Promise<number> {
  const format: LintFormat = flags.json ? 'json' : flags.format;
  const file = await resolvePrpArgument(ctx, prp);
  const facts = await loadProjectFacts(ctx.workspace);
  const report = await lintPrp(ctx.workspace, file, { facts, programs: new NodeProgramResolver() });
  if (report.fatal) throw new InputError(report.problems);

  if (format === 'json') ctx.out.json(lintJson(report));
  else if (format === 'sarif') {
    ctx.out.json(
      toSarif(
        { name: TOOL_NAME, version: packageVersion(), informationUri: TOOL_INFORMATION_URI, rules: LINT_RULES },
        report.problems,
        { projectRoot: await ctx.workspace.canonicalRoot() },
      ),
    );
  } else printText(ctx, report);
  return report.problems.some((p) => p.severity === 'error') ? ExitCode.Failed : ExitCode.Ok;
}

/** `{"file","errors":[{"rule","message","line","column"}],"warnings":[…]}` */
export function lintJson(report: LintReport): {
  file: string;
  errors: Array<Pick<Problem, 'rule' | 'message' | 'line' | 'column'>>;
  warnings: Array<Pick<Problem, 'rule' | 'message' | 'line' | 'column'>>;
} {
  const item = (p: Problem) => ({ rule: p.rule, message: p.message, line: p.line, column: p.column });
  return {
    file: report.file,
    errors: report.problems.filter((p) => p.severity === 'error').map(item),
    warnings: report.problems.filter((p) => p.severity !== 'error').map(item),
  };
}

function printText(ctx: CliContext, report: LintReport): void {
  const { out } = ctx;
  for (const p of report.problems) {
    const line = `${formatProblem(p)} ${out.style('dim', `[${p.rule}]`)}`;
    const colour = p.severity === 'error' ? 'red' : p.severity === 'warning' ? 'yellow' : 'blue';
    out.err(out.color ? line.replace(`: ${p.severity}: `, `: ${out.style(colour, p.severity)}: `) : line);
  }
  const errors = report.problems.filter((p) => p.severity === 'error').length;
  const warnings = report.problems.length - errors;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  out.err(
    errors + warnings === 0
      ? `${report.file}: ${out.style('green', 'no problems found')}`
      : `${report.file}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`,
  );
}
