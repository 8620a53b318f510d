/** The webview side of VS Code: `acquireVsCodeApi()` may be called once; its handle stays module-private. */
interface VsCodeWebviewApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeWebviewApi;
