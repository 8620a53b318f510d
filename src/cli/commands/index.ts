/** Every CLI command, one module each. */
import type { Command } from 'commander';
import { registerEmitSchemas } from './emit-schemas';
import { registerInit } from './init';
import { registerOrchestrate } from './orchestrate';
import { registerPolicy } from './policy';
import { registerReport } from './report';
import { registerReserved } from './reserved';
import { registerStatus } from './status';
import { registerStop } from './stop';
import { registerWatch } from './watch';

export function registerCommands(program: Command): void {
  registerInit(program);
  registerOrchestrate(program);
  registerStatus(program);
  registerStop(program);
  registerReport(program);
  registerWatch(program);
  registerPolicy(program);
  registerReserved(program, new Set(['orchestrate', 'status', 'stop', 'report', 'watch']));
  registerEmitSchemas(program);
}
