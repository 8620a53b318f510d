/** Reads a JSONL file (a run's journal) with `readJsonl`'s tolerance: torn tail ignored, corrupt lines reported. */
import { readFile } from 'node:fs/promises';
import { type JsonlReadOptions, type JsonlReadResult, readJsonl } from '../core/journal/jsonl';

/** A missing file reads as empty. Invalid UTF-8 becomes U+FFFD (a torn multi-byte tail is dropped with its line). */
export async function readJsonlFile<T = unknown>(
  file: string,
  options: JsonlReadOptions<T> = {},
): Promise<JsonlReadResult<T>> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { values: [], problems: [] };
    throw err;
  }
  return readJsonl<T>(new TextDecoder('utf-8').decode(bytes), options);
}
