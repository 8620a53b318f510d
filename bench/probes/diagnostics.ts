/**
 * P4 probe: a gate's output read the way the engine reads it — bytes split into lines (`LineSplitter`), each line
 * pushed through the matcher session picked for the command (`createGateToolkit`), then the session's result.
 */
import { readFileSync } from 'node:fs';
import { createGateToolkit } from '../../src/core/engine/gate-toolkit';
import { LineSplitter } from '../../src/core/run/line-splitter';
import { answer, interleave, probeArgs } from './probe';

const args = probeArgs<{ file: string; root: string; command: string; runs: number; warmup: number }>();
const gates = createGateToolkit({ root: args.root });
let found = { diagnostics: 0, lines: 0 };

function parseOnce(): void {
  const bytes = readFileSync(args.file);
  const session = gates.startSession(args.command);
  let lines = 0;
  const splitter = new LineSplitter((text, continues) => {
    lines++;
    session.push({ stream: 'stdout', text, ts: 0, ...(continues ? { continues } : {}) });
  });
  for (let at = 0; at < bytes.length; at += 64 * 1024) splitter.push(bytes.subarray(at, at + 64 * 1024));
  splitter.end();
  const result = session.end();
  found = { diagnostics: result.diagnostics.length, lines };
}

const [times] = await interleave([parseOnce], args.runs, args.warmup);
answer({ times, ...found });
