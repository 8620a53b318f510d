// Where ../shared/vscode-harness is: $VSCODE_HARNESS_DIR, else the first `shared/vscode-harness` found walking
// up from the repository (CI has it right beside the clone).
import { existsSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function harnessDir() {
  // Real paths: harness.mjs runs its CLI only when argv[1] is its own (resolved) path.
  if (process.env.VSCODE_HARNESS_DIR) return realpathSync(path.resolve(process.env.VSCODE_HARNESS_DIR));
  for (let dir = path.dirname(REPO); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'vscode-harness');
    if (existsSync(path.join(candidate, 'harness.mjs'))) return realpathSync(candidate);
    if (path.dirname(dir) === dir) break;
  }
  throw new Error('cannot find shared/vscode-harness beside the repository: set VSCODE_HARNESS_DIR');
}
