import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...tsFiles(full));
    else if (name.endsWith('.ts')) out.push(full);
  }
  return out;
}

/** Module specifiers imported, required or dynamically imported by a source file. */
function importsOf(source: string): string[] {
  const specs: string[] = [];
  const patterns = [
    /\bimport\s+(?:type\s+)?(?:[\w*{}\s,]+\s+from\s+)?['"]([^'"]+)['"]/g,
    /\bexport\s+(?:type\s+)?[\w*{}\s,]+\s+from\s+['"]([^'"]+)['"]/g,
    /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) specs.push(m[1]!);
  return specs;
}

const FORBIDDEN_IN_CORE = new Set([
  'vscode',
  'child_process',
  'node:child_process',
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
]);

describe('architecture', () => {
  it('finds imports of every form (self-check of the scanner)', () => {
    const sample = [
      "import * as cp from 'child_process';",
      'import { x } from "vscode";',
      "import type { Y } from 'node:child_process';",
      "const z = require('node:child_process');",
      "const w = await import('vscode');",
      "export { a } from 'fs';",
    ].join('\n');
    assert.deepEqual(
      importsOf(sample).sort(),
      ['child_process', 'fs', 'node:child_process', 'node:child_process', 'vscode', 'vscode'].sort(),
    );
  });

  it('src/core imports neither vscode, child_process nor fs (it talks to ports)', () => {
    const offenders: string[] = [];
    for (const file of tsFiles(path.join(ROOT, 'src/core'))) {
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        if (FORBIDDEN_IN_CORE.has(spec)) offenders.push(`${path.relative(ROOT, file)} imports ${spec}`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('only src/extension imports vscode', () => {
    const offenders: string[] = [];
    for (const dir of ['src/core', 'src/node', 'src/cli', 'src/protocol']) {
      for (const file of tsFiles(path.join(ROOT, dir))) {
        if (importsOf(readFileSync(file, 'utf8')).includes('vscode')) offenders.push(path.relative(ROOT, file));
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('src/core depends on nothing outside src/core (no hosts, no adapters)', () => {
    const offenders: string[] = [];
    for (const file of tsFiles(path.join(ROOT, 'src/core'))) {
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = path.resolve(path.dirname(file), spec);
        if (!target.startsWith(path.join(ROOT, 'src/core'))) offenders.push(`${path.relative(ROOT, file)} -> ${spec}`);
      }
    }
    assert.deepEqual(offenders, []);
  });
});
