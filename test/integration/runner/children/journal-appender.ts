/**
 * Appends `{seq, pad}` events to the journal in argv[2] as fast as it can, every 10th with fsync, and prints the
 * seq of each fsync'd (acknowledged) event. Tests SIGKILL it mid-append.
 */
import { JournalWriter } from '../../../../src/node/journal-writer';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: journal-appender <file>');
  const writer = await JournalWriter.open<{ seq: number; pad: string }>(file);
  process.stdout.write(`repaired ${writer.repairedBytes}\n`);
  for (let seq = 0; ; seq++) {
    // Varying sizes, some over a page, so a kill can land inside a multi-page write.
    const pad = 'é'.repeat((seq * 7919) % 6000);
    const sync = seq % 10 === 0;
    const pending = writer.append({ seq, pad }, { sync });
    if (sync) {
      await pending;
      process.stdout.write(`acked ${seq}\n`);
    }
  }
}

main().catch((err) => {
  process.stderr.write(`${String(err)}\n`);
  process.exitCode = 1;
});
