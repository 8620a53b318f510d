/** The execution panel's page: strict CSP (nothing but our own script, styles and font), one nonce per load. */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function nonce(): string {
  return randomBytes(18)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '');
}

export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, runId: string): string {
  const n = nonce();
  const asset = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p)).toString();
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
    `script-src 'nonce-${n}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('dist', 'webview', 'codicon.css')}">
<link rel="stylesheet" href="${asset('media', 'panel.css')}">
<title>Context Forge run</title>
</head>
<body>
<main id="app" data-run-id="${runId}" aria-live="polite"><p class="loading">Loading run ${runId}…</p></main>
<script nonce="${n}" src="${asset('dist', 'webview', 'panel.js')}"></script>
</body>
</html>`;
}
