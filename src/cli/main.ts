/**
 * `codex-context-forge` / `ccf`: the headless CLI on the same core as the extension.
 * Exit codes: 0 ok, 1 the thing checked failed, 2 bad usage or invalid input, 130 interrupted.
 */
import { Command, CommanderError, Option } from 'commander';
import { InputError } from '../core/problems';
import { packageVersion } from '../node/package-root';
import { runState } from './command';
import { COMMAND_NAMES, registerCommands } from './commands';
import { CliError } from './errors';
import { ExitCode } from './exit-codes';
import { createOutput } from './output';

/**
 * The command line's command name (the first word that is not an option or the value of `--cwd`), or undefined.
 * Only that command's module is loaded; `--help` before it, `help`, or an unknown name load them all.
 */
export function commandsToLoad(argv: readonly string[]): { only?: string; none?: boolean } {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h' || a === '--help') return {};
    if (a === '--cwd') {
      i++;
      continue;
    }
    if (a === '--')
      return argv[i + 1] !== undefined && COMMAND_NAMES.includes(argv[i + 1]!) ? { only: argv[i + 1]! } : {};
    if (a.startsWith('-')) continue;
    return COMMAND_NAMES.includes(a) ? { only: a } : {};
  }
  return argv.includes('-V') || argv.includes('--version') ? { none: true } : {};
}

export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command();
  program
    .name('codex-context-forge')
    .description('PRP-driven AI development with harness-checked validation gates.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .addOption(new Option('--cwd <dir>', 'project root (default: the current directory)'))
    .option('--no-color', 'disable coloured output (NO_COLOR is honoured too)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str) });
  const load = commandsToLoad(argv);
  if (!load.none) await registerCommands(program, load.only);
  // Every subcommand exits through our handler too, so usage errors give exit code 2.
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const controller = new AbortController();
  runState.signal = controller.signal;
  runState.exitCode = ExitCode.Ok;
  let interrupted = false;
  const onSigint = (): void => {
    if (interrupted) process.exit(ExitCode.Interrupted);
    interrupted = true;
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSigint);
  const err = createOutput(false);
  try {
    await (await buildProgram(argv)).parseAsync(argv, { from: 'user' });
    return interrupted ? ExitCode.Interrupted : runState.exitCode;
  } catch (e) {
    if (interrupted) return ExitCode.Interrupted;
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') {
        return ExitCode.Ok;
      }
      return ExitCode.Usage;
    }
    if (e instanceof InputError) {
      err.problems(e.problems);
      return ExitCode.Usage;
    }
    if (e instanceof CliError) {
      err.err(`error: ${e.message}`);
      return e.exitCode;
    }
    err.err(`internal error: ${(e as Error)?.message ?? String(e)}`);
    if (process.env.CCF_DEBUG) err.err(String((e as Error)?.stack));
    return ExitCode.Failed;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** The `codex-context-forge` executable (`dist/cli.js` loads this and calls it). */
export function run(): void {
  // `ccf list | head` closes our stdout early: that is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`internal error: ${String(e)}\n`);
      process.exitCode = ExitCode.Failed;
    },
  );
}
