// Compiles the extension-host suite: one CommonJS file per test (mocha loads them after setting its globals),
// `vscode` and `mocha` left to the extension host / node_modules. Output: out/test/extension/.
import { readdirSync } from 'node:fs';
import * as esbuild from 'esbuild';

const suite = readdirSync('test/extension/suite')
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => `test/extension/suite/${f}`);
await esbuild.build({
  entryPoints: ['test/extension/index.ts', ...suite],
  outdir: 'out/test/extension',
  outbase: 'test/extension',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  mainFields: ['module', 'main'],
  logLevel: 'warning',
});
