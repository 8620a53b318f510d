/**
 * A run's terminal: a Pseudoterminal fed by the run itself — step headers from the engine's events, and each
 * command's output and exact exit code from the process runner (`TerminalEchoRunner`). It stays open when the run
 * ends (like a task: "press any key to close") and then closes with the run's exit code: 0 passed, 1 failed,
 * 130 cancelled — `Terminal.exitStatus.code` tells the outcome.
 */
import * as vscode from 'vscode';
import type { EngineEvents } from '../../core/engine/engine-events';
import type { EngineOutcome } from '../../core/run/events';

const ESC = '\u001b[';
export const style = {
  dim: (t: string) => `${ESC}2m${t}${ESC}0m`,
  bold: (t: string) => `${ESC}1m${t}${ESC}0m`,
  red: (t: string) => `${ESC}31m${t}${ESC}0m`,
  green: (t: string) => `${ESC}32m${t}${ESC}0m`,
  yellow: (t: string) => `${ESC}33m${t}${ESC}0m`,
  cyan: (t: string) => `${ESC}36m${t}${ESC}0m`,
};

/** The exit code a run's terminal closes with. */
export function terminalExitCode(outcome: EngineOutcome | 'error'): number {
  return outcome === 'passed' ? 0 : outcome === 'cancelled' ? 130 : 1;
}

const TRANSCRIPT_CAP = 2_000_000;

export class RunTerminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | undefined>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  readonly terminal: vscode.Terminal;
  private opened = false;
  private pending: string[] = [];
  private exitCode: number | undefined;
  private closed = false;
  /** Everything written, without escape sequences (kept for the tests and the log; capped). */
  private text = '';

  constructor(name: string) {
    this.terminal = vscode.window.createTerminal({ name, pty: this, iconPath: new vscode.ThemeIcon('beaker') });
  }

  get transcript(): string {
    return this.text;
  }

  get finished(): boolean {
    return this.exitCode !== undefined;
  }

  open(): void {
    this.opened = true;
    for (const chunk of this.pending) this.writeEmitter.fire(chunk);
    this.pending = [];
  }

  /** The user closed the terminal: the run goes on (its output is in the panel and the logs). */
  close(): void {
    this.closed = true;
  }

  handleInput(): void {
    if (this.exitCode !== undefined && !this.closed) {
      this.closed = true;
      this.closeEmitter.fire(this.exitCode);
    }
  }

  /** Writes lines (`\n` becomes `\r\n`). */
  writeLine(line: string): void {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences are stripped for the transcript
    const plain = line.replace(/\u001b\[[0-9;]*m/g, '');
    if (this.text.length < TRANSCRIPT_CAP) this.text += `${plain}\n`;
    const data = `${line.replace(/\r?\n/g, '\r\n')}\r\n`;
    if (this.opened) this.writeEmitter.fire(data);
    else this.pending.push(data);
  }

  /** Step headers and results from the engine. */
  follow(events: EngineEvents): () => void {
    const offs = [
      events.on('stepStart', (e) => {
        if (e.kind === 'parallel' || e.kind === 'if') return;
        this.writeLine(style.bold(style.cyan(`▶ ${e.name}${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}`)));
      }),
      events.on('stepComplete', (e) => {
        if (e.kind === 'parallel' || e.kind === 'if') return;
        const time = style.dim(`${(e.durationMs / 1000).toFixed(1)} s`);
        if (e.status === 'passed') this.writeLine(`${style.green('✓')} ${e.name} ${time}`);
        else if (e.status === 'skipped') this.writeLine(style.dim(`– ${e.name}: ${e.reason ?? 'skipped'}`));
        else if (e.status === 'cancelled') this.writeLine(style.yellow(`⊘ ${e.name} cancelled`));
        else this.writeLine(`${style.red('✗')} ${e.name} ${time} — ${e.reason ?? 'failed'}`);
      }),
      events.on('journal', (e) => {
        if (e.type === 'retry-scheduled')
          this.writeLine(style.yellow(`↻ retry in ${(e.delayMs / 1000).toFixed(1)} s (${e.failureClass})`));
      }),
    ];
    return () => {
      for (const off of offs) off();
    };
  }

  /** The run ended: say how, and close with its exit code on the next key press. */
  finish(outcome: EngineOutcome | 'error', message?: string): void {
    if (this.exitCode !== undefined) return;
    this.exitCode = terminalExitCode(outcome);
    const word =
      outcome === 'passed'
        ? style.green('Run passed')
        : outcome === 'cancelled'
          ? style.yellow('Run cancelled')
          : outcome === 'parked'
            ? style.yellow('Run parked')
            : style.red('Run failed');
    this.writeLine('');
    this.writeLine(`${style.bold(word)}${message ? ` — ${message}` : ''} ${style.dim(`(exit code ${this.exitCode})`)}`);
    this.writeLine(style.dim('Press any key to close this terminal.'));
  }

  dispose(): void {
    this.writeEmitter.dispose();
    this.closeEmitter.dispose();
  }
}
