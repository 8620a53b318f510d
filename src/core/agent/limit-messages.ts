/**
 * When a CLI agent (claude, codex) stops because of a usage or rate limit, it says so in words; this reads the
 * wake-up time out of those words so the run parks ("waiting until HH:MM") instead of failing:
 * - Claude Code: `Claude AI usage limit reached|1767225600` (epoch seconds after the bar), or
 *   `5-hour limit reached ∙ resets 3pm` / `… resets at 3:30 PM` (the next such clock time, local);
 * - Codex: `… try again in 1 hour 5 minutes` / `in 20s` / `in 3 days`;
 * - any other "rate limit" / "usage limit" / "429" message: a short fallback wait.
 * Returns `undefined` when the text is not about a limit.
 */

export const LIMIT_FALLBACK_MS = 60_000;
const MAX_WAIT_MS = 8 * 24 * 60 * 60 * 1000;

const UNITS: Record<string, number> = {
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
};

/** Epoch ms when the limit described by `text` lifts, or `undefined` when `text` is not a limit message. */
export function limitResetTime(text: string, now: number): number | undefined {
  const bar = /usage limit reached\|(\d{9,11})\b/i.exec(text);
  if (bar) {
    const at = Number(bar[1]) * 1000;
    if (at > now && at - now <= MAX_WAIT_MS) return at;
    return now + LIMIT_FALLBACK_MS;
  }
  const resets = /\bresets?(?:\s+at)?\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm)\b/i.exec(text);
  if (resets && /limit/i.test(text)) {
    let hour = Number(resets[1]) % 12;
    if (resets[3]!.toLowerCase() === 'pm') hour += 12;
    const at = new Date(now);
    at.setHours(hour, Number(resets[2] ?? 0), 0, 0);
    if (at.getTime() <= now) at.setDate(at.getDate() + 1);
    return at.getTime();
  }
  const again = /try again in\s+((?:\d+(?:\.\d+)?\s*[a-z]+[\s,]*(?:and\s+)?)+)/i.exec(text);
  if (again) {
    let ms = 0;
    for (const m of again[1]!.matchAll(/(\d+(?:\.\d+)?)\s*([a-z]+)/gi)) {
      const unit = UNITS[m[2]!.toLowerCase()];
      if (unit) ms += Number(m[1]) * unit;
    }
    if (ms > 0) return now + Math.min(Math.ceil(ms), MAX_WAIT_MS);
  }
  if (/\b(rate[ -]?limit|usage limit|429|too many requests|quota exceeded)\b/i.test(text)) {
    return now + LIMIT_FALLBACK_MS;
  }
  return undefined;
}
