/** The identity of an approved command: the SHA-256 of its exact text (no trimming, no normalisation). */
import { createHash } from 'node:crypto';

export function commandHash(command: string): string {
  return `sha256:${createHash('sha256').update(command, 'utf8').digest('hex')}`;
}
