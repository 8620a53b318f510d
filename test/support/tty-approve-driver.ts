/**
 * Run under a pseudo-terminal by the TTY prompt test (`script -qec …`): asks one approval on the real terminal
 * and prints what the process saw (`TTY true`) and the answer (`ANSWER allow-once`).
 */
import { TtyApprovals } from '../../src/cli/tty-approvals';

const approvals = new TtyApprovals();
process.stdout.write(`TTY ${Boolean(process.stdin.isTTY)}\n`);
approvals
  .ask({
    kind: 'command',
    command: process.env.CCF_DRIVER_COMMAND ?? 'npm install',
    reason: 'not in the allow list',
    context: 'pty test',
    choices: ['allow-once', 'allow-session', 'deny'],
  })
  .then((answer) => {
    process.stdout.write(`ANSWER ${answer}\n`);
    process.exit(0);
  });
