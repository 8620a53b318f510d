/** Every CLI command, one module each. */
import type { Command } from 'commander';
import { registerEmitSchemas } from './emit-schemas';
import { registerInit } from './init';
import { registerPolicy } from './policy';
import { registerReserved } from './reserved';

export function registerCommands(program: Command): void {
  registerInit(program);
  registerReserved(program);
  registerEmitSchemas(program);
  registerPolicy(program);
}
