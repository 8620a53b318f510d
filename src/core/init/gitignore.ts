/** `.gitignore` gains a line for the run-state folder (`.context-forge/`) unless a line already ignores it. */

const ALREADY_IGNORED = new Set([
  '.context-forge',
  '.context-forge/',
  '/.context-forge',
  '/.context-forge/',
  '.context-forge/*',
  '.context-forge/**',
  '/.context-forge/*',
  '/.context-forge/**',
]);

/** The new content, or `undefined` when nothing needs adding. Works on bytes so odd encodings survive. */
export function ensureIgnored(current: Uint8Array | undefined, pattern: string): Uint8Array | undefined {
  const encoder = new TextEncoder();
  if (current === undefined) return encoder.encode(`${pattern}\n`);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(current);
  if (text.split(/\r?\n/).some((line) => ALREADY_IGNORED.has(line.trim()))) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const separator = text === '' || text.endsWith('\n') ? '' : eol;
  const addition = encoder.encode(`${separator}${pattern}${eol}`);
  const out = new Uint8Array(current.byteLength + addition.byteLength);
  out.set(current, 0);
  out.set(addition, current.byteLength);
  return out;
}
