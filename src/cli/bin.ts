/**
 * `dist/cli.js`: the executable. It only loads the CLI proper (`dist/cli/main.mjs`, an ES module split into chunks
 * so that a command loads only its own code) and runs it. Kept tiny: it is parsed on every start.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const entry = pathToFileURL(path.join(__dirname, 'cli', 'main.mjs')).href;
import(entry).then(
  (cli: { run(): void }) => cli.run(),
  (err: unknown) => {
    process.stderr.write(`internal error: cannot load ${entry}: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
