/** Glue between commander and our handlers: a handler gets the context and returns an exit code. */
import type { Command } from 'commander';
import { type CliContext, createContext } from './context';
import { colorWanted, createOutput } from './output';

export interface GlobalOptions {
  cwd?: string;
  color?: boolean;
}

export type Handler<A extends unknown[]> = (ctx: CliContext, ...args: A) => Promise<number>;

/** Set by `main` so a handler's exit code and the interrupt signal reach the top level. */
export const runState = { exitCode: 0, signal: new AbortController().signal };

export function action<A extends unknown[]>(handler: Handler<A>) {
  return async (...all: unknown[]): Promise<void> => {
    const command = all[all.length - 1] as Command;
    const globals = command.optsWithGlobals() as GlobalOptions;
    const out = createOutput(colorWanted(globals.color, process.stderr));
    const ctx = createContext(globals.cwd, out, runState.signal);
    runState.exitCode = await handler(ctx, ...(all.slice(0, -1) as A));
  };
}
