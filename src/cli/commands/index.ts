/**
 * Every CLI command, one module each, loaded on demand: `ccf list` loads only what `list` needs (the build splits
 * each command into its own chunk), `--version` loads none. Help and unknown names load them all.
 */
import type { Command } from 'commander';

type Register = (program: Command) => void;

/** In help order. */
const COMMANDS: ReadonlyArray<readonly [name: string, load: () => Promise<Register>]> = [
  ['init', async () => (await import('./init')).registerInit],
  ['list', async () => (await import('./list')).registerList],
  ['lint', async () => (await import('./lint')).registerLint],
  ['validate', async () => (await import('./validate')).registerValidate],
  ['orchestrate', async () => (await import('./orchestrate')).registerOrchestrate],
  ['run-prp', async () => (await import('./run-prp')).registerRunPrp],
  ['status', async () => (await import('./status')).registerStatus],
  ['stop', async () => (await import('./stop')).registerStop],
  ['report', async () => (await import('./report')).registerReport],
  ['watch', async () => (await import('./watch')).registerWatch],
  ['policy', async () => (await import('./policy')).registerPolicy],
  ['__emit-schemas', async () => (await import('./emit-schemas')).registerEmitSchemas],
];

export const COMMAND_NAMES: readonly string[] = COMMANDS.map(([name]) => name);

/** Registers `only` when it names a command; otherwise every command. */
export async function registerCommands(program: Command, only?: string): Promise<void> {
  const chosen = COMMANDS.filter(([name]) => only === undefined || !COMMAND_NAMES.includes(only) || name === only);
  const registers = await Promise.all(chosen.map(([, load]) => load()));
  for (const register of registers) register(program);
}
