/**
 * Text that reaches the execution panel (step names, gate output, diagnostics, model text) is made inert here,
 * on the host, before it is sent: ANSI/OSC escape sequences and control characters are removed and its length is
 * capped. The panel then only ever puts text into the page with `textContent` (never as HTML), so markup in a
 * tool's output or a model's answer (`<img src=x onerror=…>`, `<script>`) is shown as the characters it is.
 */

/** CSI / OSC / other escape sequences (ANSI colours, OSC 633 shell-integration markers, hyperlinks). */
const ESCAPES =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences are what is being removed
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[PX^_][^\u001b]*(?:\u001b\\)?|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;
/** C0 controls except tab, C1 controls and DEL; bidi overrides/isolates that could reorder what is shown. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is being removed
const CONTROLS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** One line of text for display: no escapes, no controls (a newline becomes a space), at most `max` chars. */
export function displayText(text: string, max = 2000): string {
  let out = text.replace(ESCAPES, '').replace(/\r(?!$)/g, ' ');
  out = out.replace(CONTROLS, (c) => (c === '\n' ? ' ' : ''));
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}

/** Several lines of text (a reason, a model's answer): like `displayText`, but newlines are kept. */
export function displayBlock(text: string, max = 8000): string {
  return text
    .split(/\r?\n/)
    .map((line) => displayText(line, max))
    .join('\n')
    .slice(0, max);
}
