/** How this tool names itself in machine-readable reports (SARIF `tool.driver`). */
export const TOOL_NAME = 'codex-context-forge';
/** The package's public page: where a SARIF viewer sends a user who wants to know what reported a result. */
export const TOOL_INFORMATION_URI = 'https://www.npmjs.com/package/codex-context-forge';
