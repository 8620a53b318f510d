/** Every CLI command, one module each. */
import type { Command } from 'commander';
import { registerEmitSchemas } from './emit-schemas';
import { registerLint } from './lint';
import { registerReserved } from './reserved';

export function registerCommands(program: Command): void {
  registerLint(program);
  registerReserved(program);
  registerEmitSchemas(program);
}
