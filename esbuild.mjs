// Bundles the extension and the CLI. `node esbuild.mjs [--production] [--watch] [--metafile]`.

import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const metafile = process.argv.includes('--metafile');

/** Prints esbuild problems in a `file:line:col:` form that VS Code's $esbuild-watch matcher reads. */
const problemMatcherPlugin = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => {
      if (watch) console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'silent',
  metafile,
  plugins: [problemMatcherPlugin],
  // `yaml` and the unified/remark stack are pure JS: bundled. `vscode` is provided by the host.
  external: ['vscode'],
  // Prefer packages' ESM builds: jsonc-parser's UMD main loads its parts with a dynamic require
  // that a bundle cannot resolve.
  mainFields: ['module', 'main'],
  define: { 'process.env.CCF_BUNDLED': '"1"' },
};

const targets = [
  // The extension is two bundles: `extension.js` only registers (cheap to load and activate); `services.js`
  // holds everything else and is loaded by it on first use (a command, a view, a PRP file, a restored panel).
  { ...common, entryPoints: ['src/extension/main.ts'], outfile: 'dist/extension.js' },
  { ...common, entryPoints: ['src/extension/services.ts'], outfile: 'dist/services.js' },
  // The execution panel's script: runs in the webview (a browser), talks only through src/protocol.
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: ['src/extension/webview/client/main.ts'],
    outfile: 'dist/webview/panel.js',
    external: [],
    define: {},
  },
  // The CLI: a tiny CommonJS executable (`dist/cli.js`) that imports `dist/cli/main.mjs`, an ES module split into
  // chunks so that `--version` loads almost nothing and each command only its own code (see commands/index.ts).
  { ...common, entryPoints: ['src/cli/bin.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  {
    ...common,
    entryPoints: { main: 'src/cli/main.ts' },
    outdir: 'dist/cli',
    format: 'esm',
    splitting: true,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    // Bundled CommonJS packages call require(); code written for CommonJS reads __dirname.
    banner: {
      js: [
        "import { createRequire as __ccfCreateRequire } from 'node:module';",
        "import { fileURLToPath as __ccfFileURLToPath } from 'node:url';",
        "import { dirname as __ccfDirname } from 'node:path';",
        'const require = __ccfCreateRequire(import.meta.url);',
        'const __filename = __ccfFileURLToPath(import.meta.url);',
        'const __dirname = __ccfDirname(__filename);',
      ].join('\n'),
    },
  },
];

await mkdir('dist/webview', { recursive: true });
// A production build ships no source maps: remove those a development build left behind.
if (production) {
  for (const dir of ['dist', 'dist/webview'])
    for (const f of await readdir(dir)) if (f.endsWith('.map')) await rm(`${dir}/${f}`);
}
// Only the codicon font and its stylesheet are shipped (the panel's icons).
for (const f of ['codicon.css', 'codicon.ttf'])
  await copyFile(`node_modules/@vscode/codicons/dist/${f}`, `dist/webview/${f}`);
await rm('dist/cli', { recursive: true, force: true });
if (watch) {
  for (const t of targets) {
    const ctx = await esbuild.context(t);
    await ctx.watch();
  }
} else {
  const results = await Promise.all(targets.map((t) => esbuild.build(t)));
  if (metafile) {
    await writeFile('dist/meta.json', JSON.stringify(results.map((r) => r.metafile)));
  }
  // JSON Schemas for editor validation come from the zod models, through a hidden CLI command.
  execFileSync(process.execPath, ['dist/cli.js', '__emit-schemas', 'schemas'], { stdio: 'inherit' });
}
