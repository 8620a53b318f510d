/** Every CLI command, one module each. */
import type { Command } from 'commander';
import { registerEmitSchemas } from './emit-schemas';
import { registerInit } from './init';
import { registerPolicy } from './policy';
import { registerReport } from './report';
import { registerReserved } from './reserved';
import { registerStatus } from './status';
import { registerStop } from './stop';
import { registerWatch } from './watch';

export function registerCommands(program: Command): void {
  registerInit(program);
  registerStatus(program);
  registerStop(program);
  registerReport(program);
  registerWatch(program);
  registerPolicy(program);
  registerReserved(program, new Set(['status', 'stop', 'report', 'watch']));
  registerEmitSchemas(program);
}
