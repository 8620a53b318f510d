import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export const FIXTURES = path.join(__dirname, '../fixtures');

/** A PRP fixture's text, from test/fixtures/prp. */
export function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, 'prp', name), 'utf8');
}
