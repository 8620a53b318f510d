/** Every CLI command, one module each. */
import type { Command } from 'commander';
import { registerEmitSchemas } from './emit-schemas';
import { registerInit } from './init';
import { registerLint } from './lint';
import { registerList } from './list';
import { registerOrchestrate } from './orchestrate';
import { registerPolicy } from './policy';
import { registerReport } from './report';
import { registerRunPrp } from './run-prp';
import { registerStatus } from './status';
import { registerStop } from './stop';
import { registerValidate } from './validate';
import { registerWatch } from './watch';

export function registerCommands(program: Command): void {
  registerInit(program);
  registerList(program);
  registerLint(program);
  registerValidate(program);
  registerOrchestrate(program);
  registerRunPrp(program);
  registerStatus(program);
  registerStop(program);
  registerReport(program);
  registerWatch(program);
  registerPolicy(program);
  registerEmitSchemas(program);
}
