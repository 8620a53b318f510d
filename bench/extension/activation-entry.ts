/**
 * P6 probe, run inside the harness's real VS Code (code-server) as an extension-host test entry: activates the
 * extension (if VS Code has not already) and writes its own measure of `activate()` — `activationMs`, the time the
 * function itself took, registration only — to $CCF_BENCH_OUT.
 */
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { ContextForgeApi } from '../../src/extension/main';

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension<ContextForgeApi>('codex-context-forge.codex-context-forge');
  if (!ext) throw new Error('extension not found');
  const wasActive = ext.isActive;
  const api = ext.isActive ? ext.exports : await ext.activate();
  const out = process.env.CCF_BENCH_OUT;
  if (!out) throw new Error('CCF_BENCH_OUT is not set');
  writeFileSync(out, JSON.stringify({ activationMs: api.activationMs, activatedByVsCode: wasActive }));
}
