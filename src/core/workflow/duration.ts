/**
 * Durations in workflow and settings files: a number of milliseconds, or text made of one or more
 * `<integer><unit>` parts in decreasing order — units `h`, `m`, `s`, `ms` — e.g. `500ms`, `30s`,
 * `10m`, `1h30m`, `2m30s`. Zero and values above `MAX_DURATION_MS` (7 days) are refused.
 */
export const MAX_DURATION_MS = 7 * 24 * 60 * 60 * 1000;

export const DURATION_PATTERN = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Milliseconds of a duration string, or undefined when it is not in the grammar above. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (!t) return undefined;
  const m = DURATION_PATTERN.exec(t);
  if (!m || m[0] === '') return undefined;
  const [h, min, s, ms] = [m[1], m[2], m[3], m[4]].map((x) => (x === undefined ? 0 : Number(x)));
  return h! * 3_600_000 + min! * 60_000 + s! * 1000 + ms!;
}

/** `90000` → `1m30s`. */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0ms';
  const parts: string[] = [];
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const rest = ms % 1000;
  if (h) parts.push(`${h}h`);
  if (m) parts.push(`${m}m`);
  if (s) parts.push(`${s}s`);
  if (rest) parts.push(`${rest}ms`);
  return parts.join('');
}
