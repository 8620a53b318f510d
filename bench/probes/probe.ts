/** Shared by the in-process probes: argument parsing, interleaved timing, the JSON answer on stdout. */
export function probeArgs<T>(): T {
  const raw = process.argv[2];
  if (!raw) throw new Error('usage: node probe.js <json-arguments>');
  return JSON.parse(raw) as T;
}

export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Times each function `runs` times after `warmup` rounds, interleaved, and returns the times (ms) per function. */
export async function interleave(
  fns: ReadonlyArray<() => unknown | Promise<unknown>>,
  runs: number,
  warmup: number,
): Promise<number[][]> {
  for (let i = 0; i < warmup; i++) for (const f of fns) await f();
  const times: number[][] = fns.map(() => []);
  for (let round = 0; round < runs; round++) {
    for (let k = 0; k < fns.length; k++) {
      const at = (k + round) % fns.length;
      const t0 = now();
      await fns[at]!();
      times[at]!.push(now() - t0);
    }
  }
  return times;
}

export function answer(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
