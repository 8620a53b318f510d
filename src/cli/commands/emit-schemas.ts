/** Hidden build step: writes the JSON Schemas generated from the zod models. */
import * as path from 'node:path';
import type { Command } from 'commander';
import { jsonSchemas } from '../../core/config/json-schemas';
import { NodeFileSystem } from '../../node/node-file-system';

export function registerEmitSchemas(program: Command): void {
  program.command('__emit-schemas <dir>', { hidden: true }).action(async (dir: string) => {
    const fs = new NodeFileSystem();
    const out = path.resolve(dir);
    for (const [name, schema] of Object.entries(jsonSchemas())) {
      await fs.writeFileAtomic(path.join(out, `${name}.schema.json`), `${JSON.stringify(schema, null, 2)}\n`);
    }
  });
}
