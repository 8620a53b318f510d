/**
 * The terminal prompt: with injected streams for every answer path, and once for real under a pseudo-terminal
 * (util-linux `script`, part of Debian's essential bsdutils) so `isTTY`, raw mode and Enter are the real thing.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { parseAnswer, promptApproval, renderRequest, TtyApprovals } from '../../../src/cli/tty-approvals';
import type { ApprovalRequest } from '../../../src/core/ports/approvals';

const ROOT = path.resolve(__dirname, '../../..');

const request: ApprovalRequest = {
  kind: 'command',
  command: 'npm install left-pad\u200b',
  reason: 'not in the allow list',
  context: 'step 2 of /prp-execute',
  choices: ['allow-once', 'allow-session', 'deny'],
};

/** Feeds `lines` to the prompt (each after the previous question appears) and returns answer and transcript. */
async function drive(req: ApprovalRequest, lines: (string | null)[], signal?: AbortSignal) {
  const input = new PassThrough();
  const output = new PassThrough();
  let transcript = '';
  let prompts = 0;
  output.on('data', (d: Buffer) => {
    transcript += d.toString();
    const seen = transcript.split('> ').length - 1;
    while (prompts < seen) {
      const line = lines[prompts++];
      if (line === null) input.end();
      else if (line !== undefined) input.write(`${line}\n`);
    }
  });
  const answer = await promptApproval(req, { input, output }, signal);
  return { answer, transcript };
}

describe('CLI approvals prompt', () => {
  it('shows the exact command with invisible characters made visible, the reason and the choices', () => {
    const text = renderRequest(request);
    assert.match(text, /The agent wants to run:\n\n {4}\$ npm install left-pad⟨U\+200B ZERO WIDTH SPACE⟩\n/);
    assert.match(text, /Why you are asked: not in the allow list/);
    assert.match(text, /Context: step 2 of \/prp-execute/);
    assert.match(text, /\[y\] yes, this once {3}\[s\] yes, for the rest of this session {3}\[n\] no {3}\(Enter = no\)/);
    const project = renderRequest({
      kind: 'project-commands',
      commands: ['npm test', 'npm run lint'],
      reason: 'not approved on this machine',
      choices: ['allow-once', 'allow-always', 'deny'],
    });
    assert.match(project, / {2}1 {2}npm test\n {4}2 {2}npm run lint/);
    assert.match(project, /\[a\] always/);
  });

  it('maps typed answers to the offered choices only', () => {
    assert.equal(parseAnswer('Y', request.choices), 'allow-once');
    assert.equal(parseAnswer(' session ', request.choices), 'allow-session');
    assert.equal(parseAnswer('', request.choices), 'deny');
    assert.equal(parseAnswer('no', request.choices), 'deny');
    assert.equal(parseAnswer('a', request.choices), undefined, '"always" is not offered for an agent command');
    assert.equal(parseAnswer('sure', request.choices), undefined);
  });

  it('answers from injected streams: yes, session, always, Enter', async () => {
    assert.equal((await drive(request, ['y'])).answer, 'allow-once');
    assert.equal((await drive(request, ['s'])).answer, 'allow-session');
    assert.equal((await drive(request, [''])).answer, 'deny');
    const project: ApprovalRequest = {
      ...request,
      kind: 'project-commands',
      commands: ['npm test'],
      choices: ['allow-once', 'allow-always', 'deny'],
    };
    assert.equal((await drive(project, ['always'])).answer, 'allow-always');
  });

  it('re-asks on an unreadable answer, and gives up (deny) after three', async () => {
    const retried = await drive(request, ['maybe', 'y']);
    assert.equal(retried.answer, 'allow-once');
    assert.match(retried.transcript, /please answer y\/s\/n/);
    assert.equal((await drive(request, ['x', 'x', 'x'])).answer, 'deny');
  });

  it('end of input, or an aborted run, is a deny', async () => {
    assert.equal((await drive(request, [null])).answer, 'deny');
    const controller = new AbortController();
    const pending = drive(request, [], controller.signal);
    setTimeout(() => controller.abort(), 20);
    assert.equal((await pending).answer, 'deny');
  });

  it('without a terminal on stdin, denies without prompting', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let written = '';
    output.on('data', (d: Buffer) => {
      written += d.toString();
    });
    assert.equal(await new TtyApprovals({ input, output }).ask(request), 'deny');
    assert.equal(written, '');
  });

  it('prompts on a real pseudo-terminal and reads the answer typed there', async function () {
    this.timeout(30_000);
    const driver = path.join(ROOT, 'test/support/tty-approve-driver.ts');
    const child = spawn('script', ['-qec', `"${process.execPath}" --import tsx "${driver}"`, '/dev/null'], {
      cwd: ROOT,
      env: { ...process.env, CCF_DRIVER_COMMAND: 'rm -rf build\u202e' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!sent && out.includes('> ')) {
        sent = true;
        child.stdin.write('s\r');
      }
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', (e) => reject(new Error(`cannot run util-linux "script" for a pseudo-terminal: ${e.message}`)));
      child.on('exit', resolve);
    });
    assert.equal(code, 0, out);
    assert.match(out, /TTY true/);
    assert.match(out, /\$ rm -rf build⟨U\+202E RIGHT-TO-LEFT OVERRIDE⟩/);
    assert.match(out, /ANSWER allow-session/);
  });
});
