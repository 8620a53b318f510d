/** Commands that are part of the CLI contract but not built yet: a clear message and exit 2. */
import type { Command } from 'commander';
import { action } from '../command';
import { ExitCode } from '../exit-codes';

const RESERVED: Array<[string, string]> = [
  ['validate', "run a PRP's validation gates"],
  ['orchestrate', 'run a workflow or a slash command'],
  ['run-prp', 'execute a PRP with an agent and gates'],
  ['status', 'show live and recent runs'],
  ['stop', 'stop a running run'],
  ['report', 'report on a run'],
  ['watch', 'run onFileChange hooks on changes'],
];

export function registerReserved(program: Command, skip: ReadonlySet<string> = new Set()): void {
  for (const [name, description] of RESERVED) {
    if (skip.has(name)) continue;
    program
      .command(name)
      .description(`${description} (not available yet)`)
      .allowUnknownOption()
      .allowExcessArguments()
      .action(
        action(async (ctx) => {
          ctx.out.err(`error: \`${name}\` is not available yet in this version of codex-context-forge`);
          return ExitCode.Usage;
        }),
      );
  }
}
