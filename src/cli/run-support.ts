/**
 * What `orchestrate`, `run-prp` and `validate` share: live progress on the terminal, GitHub Actions
 * annotations, exit codes from outcomes, and the questions a run may need to ask (resume confirmation,
 * missing variables).
 */
import { createInterface } from 'node:readline/promises';
import type { Settings } from '../core/config/settings';
import type { EngineEvents } from '../core/engine/engine-events';
import { isOutsideProject } from '../core/gates/diagnostic';
import { formatGithubAnnotation } from '../core/gates/github-annotations';
import { buildReport, formatDuration, renderText } from '../core/report/run-report';
import type { EngineOutcome } from '../core/run/events';
import type { RunState, StepState } from '../core/run/fold';
import type { RunOutcome } from '../node/runs/run-host';
import type { CliContext } from './context';
import { UsageError } from './errors';
import { ExitCode } from './exit-codes';

export interface PrinterOptions {
  /** Print every output line (default: only the output of failing commands, at the end of each step). */
  verbose?: boolean;
  /** Machine-readable output follows: progress goes to stderr. */
  quiet?: boolean;
  /** Put before every line (which run it is, when several print at once). */
  prefix?: string;
}

/** Live progress: one line per step start and end; failing output tails shown where they happened. */
export function attachPrinter(ctx: CliContext, events: EngineEvents, options: PrinterOptions = {}): void {
  const prefix = options.prefix ?? '';
  const say = options.quiet ? (t: string) => ctx.out.err(prefix + t) : (t: string) => ctx.out.out(prefix + t);
  const s = ctx.out.style;
  events.on('stepStart', (e) => {
    if (e.kind === 'parallel' || e.kind === 'if') return;
    say(`${s('cyan', '▶')} ${e.name}${e.attempt > 1 ? s('dim', ` (attempt ${e.attempt})`) : ''}`);
  });
  events.on('output', (e) => {
    if (options.verbose) say(s('dim', `  │ ${e.line.text}`));
  });
  events.on('stepComplete', (e) => {
    if (e.kind === 'parallel' || e.kind === 'if') return;
    const time = s('dim', formatDuration(e.durationMs));
    if (e.status === 'passed') say(`${s('green', '✓')} ${e.name} ${time}`);
    else if (e.status === 'skipped') say(`${s('dim', '–')} ${e.name} ${s('dim', e.reason ?? 'skipped')}`);
    else if (e.status === 'cancelled') say(`${s('yellow', '⊘')} ${e.name} cancelled`);
    else {
      say(`${s('red', '✗')} ${e.name} ${time} — ${e.reason ?? 'failed'}`);
      for (const ev of e.evidence ?? []) {
        if (ev.exitCode === 0) continue;
        for (const d of ev.diagnostics.slice(0, 20)) {
          say(
            `    ${d.file}:${d.line}:${d.column}: ${d.severity === 'error' ? s('red', d.severity) : s('yellow', d.severity)}: ${d.message}${d.code ? s('dim', ` [${d.code}]`) : ''}`,
          );
        }
        if (!options.verbose) for (const line of ev.outputTail.slice(-15)) say(s('dim', `  │ ${line}`));
        if (ev.logFile) say(s('dim', `    full log: ${ev.logFile}`));
      }
    }
  });
  events.on('journal', (e) => {
    if (e.type === 'retry-scheduled') {
      say(
        s(
          'yellow',
          `↻ retrying in ${formatDuration(e.delayMs)} (${e.failureClass})${e.fixCommand ? ` after ${e.fixCommand}` : ''}`,
        ),
      );
    } else if (e.type === 'run-parked') {
      say(s('yellow', `⏸ waiting until ${new Date(e.until).toLocaleTimeString()}: ${e.reason}`));
    }
  });
}

/** `::error file=…` lines for every diagnostic of a failed step, when running in GitHub Actions. */
export function printGithubAnnotations(ctx: CliContext, state: RunState): void {
  if (process.env.GITHUB_ACTIONS !== 'true') return;
  for (const step of state.steps) {
    if (step.status !== 'failed') continue;
    for (const ev of step.evidence ?? []) {
      for (const d of ev.diagnostics) if (!isOutsideProject(d)) ctx.out.out(formatGithubAnnotation(d));
    }
  }
}

export function exitCodeOf(status: EngineOutcome): number {
  return status === 'passed' ? ExitCode.Ok : ExitCode.Failed;
}

/** The end of a run on the terminal: the report, and how to continue when it did not pass. */
export function printOutcome(ctx: CliContext, outcome: RunOutcome, options: { quiet?: boolean } = {}): void {
  const say = options.quiet ? (t: string) => ctx.out.err(t) : (t: string) => ctx.out.out(t);
  printGithubAnnotations(ctx, outcome.state);
  say('');
  say(renderText(buildReport(outcome.state)).trimEnd());
  if (outcome.status === 'parked') {
    say(
      `Run parked: continue it with \`codex-context-forge ${outcome.state.kind === 'workflow' ? 'orchestrate' : 'run-prp'} --resume ${outcome.runId}\``,
    );
  } else if (outcome.status === 'failed' || outcome.status === 'cancelled') {
    say(`Evidence: .context-forge/runs/${outcome.runId}/ · resume with --resume ${outcome.runId}`);
  }
}

/** Asks (on a terminal) before re-running interrupted agent steps; `--yes` confirms. */
export function agentRerunConfirmer(ctx: CliContext, yes: boolean): (steps: StepState[]) => Promise<boolean> {
  return async (steps) => {
    if (yes) return true;
    if (!ctx.interactive) return false;
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      const answer = await rl.question(
        `Agent step(s) ${steps.map((s) => `"${s.name}"`).join(', ')} were interrupted and may have half-applied changes. Re-run them? [y/N] `,
      );
      return /^y(es)?$/i.test(answer.trim());
    } finally {
      rl.close();
    }
  };
}

/** `--var NAME=value` (repeatable). */
export function parseVars(list: readonly string[] | undefined): Record<string, string> {
  const vars: Record<string, string> = Object.create(null);
  for (const item of list ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--var expects NAME=value, got "${item}"`);
    const name = item.slice(0, eq);
    if (name === '__proto__' || name === 'constructor' || name === 'prototype')
      throw new UsageError(`--var: "${name}" is not a variable name`);
    vars[name] = item.slice(eq + 1);
  }
  return { ...vars };
}

/** Asks for missing variables on a terminal (with their descriptions); elsewhere the caller reports them. */
export async function promptForVariables(
  ctx: CliContext,
  missing: ReadonlyArray<{ name: string; description?: string; default?: string }>,
): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  if (!ctx.interactive || missing.length === 0) return values;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    for (const v of missing) {
      const hint = v.description ? ` (${v.description})` : '';
      const answer = await rl.question(`${v.name}${hint}: `);
      if (answer !== '') values[v.name] = answer;
    }
  } finally {
    rl.close();
  }
  return values;
}

/** Hook scripts from settings: project commands that need approval like gates. */
export function hookScripts(settings: Settings): string[] {
  const h = settings.orchestration.hooks;
  return [...h.onTestFail, ...h.onDeploy].flatMap((a) => (a.kind === 'run' ? [a.script] : []));
}
