/**
 * The CLI's approvals: a prompt on the terminal. The question goes to stderr (stdout stays clean for `--json`),
 * the answer is read from stdin only when stdin is a terminal; anything else (piped input, CI, EOF, Ctrl-C, an
 * aborted run, three unreadable answers) is a `deny`. The exact command is shown, with every invisible or
 * control character replaced by a visible `⟨U+…⟩` marker, so what the user approves is what runs.
 */
import * as readline from 'node:readline';
import { styleText } from 'node:util';
import { makeVisible } from '../core/policy/visible';
import type { ApprovalAnswer, ApprovalRequest, ApprovalsPort } from '../core/ports/approvals';

export interface PromptStreams {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
  color?: boolean;
}

const LABELS: Record<ApprovalAnswer, { key: string; words: readonly string[]; label: string }> = {
  'allow-once': { key: 'y', words: ['y', 'yes', 'o', 'once'], label: 'yes, this once' },
  'allow-session': { key: 's', words: ['s', 'session'], label: 'yes, for the rest of this session' },
  'allow-always': { key: 'a', words: ['a', 'always'], label: 'always (remember these exact commands)' },
  deny: { key: 'n', words: ['n', 'no', 'd', 'deny'], label: 'no' },
};

const MAX_TRIES = 3;

/** Renders the question exactly as the user will see it (no colour). */
export function renderRequest(request: ApprovalRequest): string {
  const lines: string[] = [];
  switch (request.kind) {
    case 'command':
      lines.push('The agent wants to run:', '', `    $ ${indentMore(makeVisible(request.command ?? ''))}`, '');
      break;
    case 'read':
      lines.push('The agent wants to read:', '', `    ${makeVisible(request.path ?? '')}`, '');
      break;
    case 'write':
      lines.push('The agent wants to write:', '', `    ${makeVisible(request.path ?? '')}`, '');
      break;
    case 'project-commands':
      lines.push('This project wants to run these commands:', '');
      (request.commands ?? []).forEach((c, i) => {
        lines.push(`  ${String(i + 1).padStart(3)}  ${indentMore(makeVisible(c), 7)}`);
      });
      lines.push('');
      break;
  }
  lines.push(`Why you are asked: ${makeVisible(request.reason)}`);
  if (request.context) lines.push(`Context: ${makeVisible(request.context)}`);
  const choices = request.choices.map((c) => `[${LABELS[c].key}] ${LABELS[c].label}`).join('   ');
  lines.push('', `${choices}   (Enter = no)`);
  return lines.join('\n');
}

function indentMore(text: string, width = 6): string {
  return text.replace(/\n/g, `\n${' '.repeat(width)}`);
}

/** Parses one typed answer against the offered choices; `undefined` when it is not one of them. */
export function parseAnswer(typed: string, choices: readonly ApprovalAnswer[]): ApprovalAnswer | undefined {
  const t = typed.trim().toLowerCase();
  if (t === '') return 'deny';
  for (const c of choices) if (LABELS[c].words.includes(t)) return c;
  if (LABELS.deny.words.includes(t)) return 'deny';
  return undefined;
}

/** Asks on `streams` and resolves with the answer; never rejects. */
export function promptApproval(
  request: ApprovalRequest,
  streams: PromptStreams,
  signal?: AbortSignal,
): Promise<ApprovalAnswer> {
  const color = streams.color ?? false;
  const paint = (s: Parameters<typeof styleText>[0], text: string) =>
    color ? styleText(s, text, { validateStream: false }) : text;
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve('deny');
      return;
    }
    const rl = readline.createInterface({
      input: streams.input,
      output: streams.output,
      terminal: Boolean(streams.input.isTTY),
    });
    let done = false;
    let tries = 0;
    const finish = (answer: ApprovalAnswer) => {
      if (done) return;
      done = true;
      signal?.removeEventListener('abort', onAbort);
      rl.close();
      streams.output.write(
        `${paint(answer === 'deny' ? 'red' : 'green', answer === 'deny' ? '✗ declined' : '✓ approved')}\n`,
      );
      resolve(answer);
    };
    const onAbort = () => finish('deny');
    signal?.addEventListener('abort', onAbort, { once: true });
    rl.on('close', () => finish('deny'));
    rl.on('SIGINT', () => finish('deny'));
    streams.output.write(`\n${paint('yellow', '⚠ Context Forge needs your approval')}\n${renderRequest(request)}\n`);
    const ask = () => {
      rl.question('> ', (typed) => {
        const answer = parseAnswer(typed, request.choices);
        if (answer !== undefined) {
          finish(answer);
          return;
        }
        tries++;
        if (tries >= MAX_TRIES) {
          finish('deny');
          return;
        }
        const keys = request.choices.map((c) => LABELS[c].key).join('/');
        streams.output.write(`please answer ${keys}\n`);
        ask();
      });
    };
    ask();
  });
}

/** The approvals port of the CLI. Without a terminal on stdin it denies without prompting. */
export class TtyApprovals implements ApprovalsPort {
  constructor(private readonly streams: PromptStreams = { input: process.stdin, output: process.stderr }) {}

  get interactive(): boolean {
    return Boolean(this.streams.input.isTTY);
  }

  async ask(request: ApprovalRequest, signal?: AbortSignal): Promise<ApprovalAnswer> {
    if (!this.interactive) return 'deny';
    return promptApproval(request, this.streams, signal);
  }
}
