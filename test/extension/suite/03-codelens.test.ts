import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { root, services } from './helpers';

async function lenses(relative: string): Promise<vscode.CodeLens[]> {
  await services();
  const uri = vscode.Uri.file(path.join(root(), relative));
  await vscode.workspace.openTextDocument(uri);
  return vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
}

describe('CodeLens on PRP files', () => {
  it('offers Execute, Validate and lint above the title and "Run Level N" above each level', async () => {
    const list = await lenses('PRPs/sample-feature.md');
    const titles = list.map((l) => l.command?.title);
    assert.ok(titles.includes('▶ Execute PRP'), JSON.stringify(titles));
    assert.ok(titles.includes('✓ Validate'));
    assert.ok(titles.some((t) => t?.startsWith('Lint')));
    const execute = list.find((l) => l.command?.title === '▶ Execute PRP')!;
    assert.equal(execute.range.start.line, 0);
    assert.equal(execute.command?.command, 'contextForge.executePrp');
    const levels = list.filter((l) => l.command?.title.startsWith('Run Level'));
    const text = fs.readFileSync(path.join(root(), 'PRPs/sample-feature.md'), 'utf8').split('\n');
    assert.deepEqual(
      levels.map((l) => [l.command?.title, l.range.start.line, l.command?.arguments?.[1]]),
      [
        ['Run Level 1', text.indexOf('### Level 1: Syntax & Style'), 1],
        ['Run Level 2', text.indexOf('### Level 2: Unit Tests'), 2],
      ],
    );
  });

  it('adds none to templates and to markdown outside PRPs/', async () => {
    assert.equal((await lenses('PRPs/templates/prp_base.md')).length, 0);
  });
});
