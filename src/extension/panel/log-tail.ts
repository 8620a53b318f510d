/** The last lines of a step's log file (for runs not started in this window, or after a reload). */
import { open } from 'node:fs/promises';

const MAX_BYTES = 1024 * 1024;

export async function readLogTail(file: string, maxLines: number): Promise<{ lines: string[]; dropped: number }> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const start = Math.max(0, size - MAX_BYTES);
    const buffer = Buffer.alloc(size - start);
    await handle.read(buffer, 0, buffer.length, start);
    let lines = buffer.toString('utf8').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    if (start > 0)
      lines.shift(); // a partial first line
    else if (lines[0]?.startsWith('# ')) lines.shift(); // the log's label line
    const dropped = Math.max(0, lines.length - maxLines) + (start > 0 ? 1 : 0);
    lines = lines.slice(-maxLines);
    return { lines, dropped };
  } finally {
    await handle.close();
  }
}
