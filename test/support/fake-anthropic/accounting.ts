/**
 * Token counting and prompt-cache emulation for the fake Messages API.
 *
 * TOKENS (an approximation, not Claude's tokenizer): every piece of a prompt counts
 * `ceil(UTF-8 bytes / 4)` tokens, where a piece is
 * - a tool definition: the JSON of `{name, description, input_schema}` (plus any other fields, minus
 *   `cache_control`);
 * - a system text block, or the whole `system` string;
 * - a message content block: text → its text; tool_use → `name` + the JSON of `input`; tool_result →
 *   its text(s) (or the JSON of non-text content); thinking → thinking text + signature; anything else → its JSON.
 *   A string message `content` is one text block.
 * There is no per-message or per-request overhead and no hidden tool-use system prompt (the real API has both).
 * Output tokens: the same rule over the reply's text / tool JSON / thinking, at least 1.
 *
 * CACHING (modelled on platform.claude.com/docs/en/build-with-claude/prompt-caching):
 * - The prompt is the ordered pieces tools → system → messages. A `cache_control` on a piece is a
 *   breakpoint after it; a top-level `cache_control` adds one on the last cacheable piece (not a thinking
 *   block). At most 4 breakpoints (the server rejects more with a 400, as the real API does).
 * - A prefix is identified by the exact content of its pieces (without the cache_control markers), the
 *   message boundaries and roles, and the model.
 * - READ: for each breakpoint the cache is looked up at that piece and then up to 19 pieces before it
 *   (the documented ~20-block lookback); the longest prefix found is read → `cache_read_input_tokens`,
 *   and its TTL is refreshed.
 * - WRITE: every breakpoint after the read point whose prefix has at least `minCacheableTokens` tokens
 *   (default 1024; the real minimum depends on the model, 512–4096) is written with its TTL (5m default,
 *   or 1h) → `cache_creation_input_tokens` = tokens from the read point to the furthest written breakpoint,
 *   split by TTL per segment in `cache_creation`.
 * - Everything else is `input_tokens`. Entries expire `ttl` after their last write or read (the server's clock).
 */
import { createHash } from 'node:crypto';

export type Ttl = '5m' | '1h';
const TTL_MS: Record<Ttl, number> = { '5m': 5 * 60 * 1000, '1h': 60 * 60 * 1000 };

/** ceil(UTF-8 bytes / 4); 0 for the empty string. */
export function approxTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, 'utf8') / 4);
}

/** JSON with object keys sorted, so equal content always serialises the same. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export interface PromptPiece {
  /** Where it sits, e.g. `tools[2]`, `system[0]`, `messages[3].content[1]`. */
  path: string;
  /** What identifies it for caching (no cache_control). */
  identity: string;
  tokens: number;
  /** Set when the piece carries a breakpoint. */
  breakpoint?: Ttl;
  /** Can carry the automatic breakpoint (thinking blocks cannot). */
  cacheable: boolean;
}

type Json = Record<string, unknown>;

function ttlOf(cacheControl: unknown): Ttl | undefined {
  if (!cacheControl || typeof cacheControl !== 'object') return undefined;
  return (cacheControl as Json).ttl === '1h' ? '1h' : '5m';
}

function withoutCacheControl(obj: Json): Json {
  const { cache_control: _drop, ...rest } = obj;
  return rest;
}

function blockTokens(block: Json): number {
  switch (block.type) {
    case 'text':
      return approxTokens(String(block.text ?? ''));
    case 'tool_use':
    case 'server_tool_use':
      return approxTokens(String(block.name ?? '')) + approxTokens(JSON.stringify(block.input ?? {}));
    case 'tool_result': {
      const c = block.content;
      if (typeof c === 'string') return approxTokens(c);
      if (Array.isArray(c)) {
        return c.reduce<number>(
          (n, part: Json) =>
            n + (part?.type === 'text' ? approxTokens(String(part.text ?? '')) : approxTokens(JSON.stringify(part))),
          0,
        );
      }
      return 0;
    }
    case 'thinking':
      return approxTokens(String(block.thinking ?? '')) + approxTokens(String(block.signature ?? ''));
    default:
      return approxTokens(JSON.stringify(withoutCacheControl(block)));
  }
}

/** The request's prompt as ordered pieces (tools → system → messages). */
export function promptPieces(body: Json): PromptPiece[] {
  const pieces: PromptPiece[] = [];
  const tools = Array.isArray(body.tools) ? (body.tools as Json[]) : [];
  tools.forEach((tool, i) => {
    const identity = `tool:${stableJson(withoutCacheControl(tool))}`;
    pieces.push({
      path: `tools[${i}]`,
      identity,
      tokens: approxTokens(JSON.stringify(withoutCacheControl(tool))),
      breakpoint: ttlOf(tool.cache_control),
      cacheable: true,
    });
  });
  if (typeof body.system === 'string') {
    if (body.system.length > 0) {
      pieces.push({
        path: 'system',
        identity: `system:${stableJson({ type: 'text', text: body.system })}`,
        tokens: approxTokens(body.system),
        cacheable: true,
      });
    }
  } else if (Array.isArray(body.system)) {
    (body.system as Json[]).forEach((block, i) => {
      pieces.push({
        path: `system[${i}]`,
        identity: `system:${stableJson(withoutCacheControl(block))}`,
        tokens: blockTokens(block),
        breakpoint: ttlOf(block.cache_control),
        cacheable: true,
      });
    });
  }
  const messages = Array.isArray(body.messages) ? (body.messages as Json[]) : [];
  messages.forEach((msg, m) => {
    const role = String(msg.role);
    const blocks: Json[] =
      typeof msg.content === 'string' ? [{ type: 'text', text: msg.content }] : ((msg.content as Json[]) ?? []);
    blocks.forEach((block, b) => {
      pieces.push({
        path: `messages[${m}].content[${b}]`,
        identity: `${b === 0 ? `msg:${role}|` : ''}${stableJson(withoutCacheControl(block))}`,
        tokens: blockTokens(block),
        breakpoint: ttlOf(block.cache_control),
        cacheable: block.type !== 'thinking' && block.type !== 'redacted_thinking',
      });
    });
  });
  return pieces;
}

/** Breakpoint positions: the explicit ones plus the automatic one (top-level `cache_control`). */
export function breakpointsOf(pieces: readonly PromptPiece[], autoCacheControl: unknown): Map<number, Ttl> {
  const points = new Map<number, Ttl>();
  pieces.forEach((p, i) => {
    if (p.breakpoint) points.set(i, p.breakpoint);
  });
  const auto = ttlOf(autoCacheControl);
  if (auto) {
    for (let i = pieces.length - 1; i >= 0; i--) {
      if (pieces[i]!.cacheable) {
        if (!points.has(i)) points.set(i, auto);
        break;
      }
    }
  }
  return points;
}

/** How many breakpoints the request asks for (explicit markers + 1 for the automatic one). */
export function countCacheMarkers(body: Json): number {
  return promptPieces(body).filter((p) => p.breakpoint).length + (ttlOf(body.cache_control) ? 1 : 0);
}

export interface Accounting {
  inputTokens: number;
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
  cacheCreation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
  /** All prompt tokens (the sum of the three above). */
  totalInputTokens: number;
  /** Index of the last piece read from the cache, or -1. */
  readUpTo: number;
  /** Indices of the breakpoints written by this request. */
  written: number[];
}

export const CACHE_LOOKBACK_BLOCKS = 20;

export class PromptCache {
  private readonly entries = new Map<string, { expiresAt: number; ttl: Ttl }>();

  constructor(
    private readonly now: () => number,
    readonly minCacheableTokens = 1024,
  ) {}

  /** Forget everything (as if every entry expired). */
  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private alive(key: string): boolean {
    const e = this.entries.get(key);
    if (!e) return false;
    if (e.expiresAt <= this.now()) {
      this.entries.delete(key);
      return false;
    }
    return true;
  }

  /** Accounts one request and updates the cache (reads refresh, new breakpoints are written). */
  account(model: string, body: Json): Accounting {
    const pieces = promptPieces(body);
    const points = breakpointsOf(pieces, body.cache_control);
    const keys: string[] = [];
    const cumulative: number[] = [];
    const hash = createHash('sha256').update(`model:${model}`);
    let total = 0;
    for (const p of pieces) {
      hash.update('\u0000').update(p.identity);
      keys.push(hash.copy().digest('hex'));
      total += p.tokens;
      cumulative.push(total);
    }

    let readUpTo = -1;
    for (const bp of points.keys()) {
      for (let j = bp; j >= 0 && j > bp - CACHE_LOOKBACK_BLOCKS; j--) {
        if (this.alive(keys[j]!)) {
          readUpTo = Math.max(readUpTo, j);
          break;
        }
      }
    }
    const readTokens = readUpTo >= 0 ? cumulative[readUpTo]! : 0;
    if (readUpTo >= 0) {
      const entry = this.entries.get(keys[readUpTo]!)!;
      entry.expiresAt = this.now() + TTL_MS[entry.ttl];
    }

    const written: number[] = [];
    const creation = { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 };
    let segmentStart = readTokens;
    for (const bp of [...points.keys()].sort((a, b) => a - b)) {
      if (bp <= readUpTo || cumulative[bp]! < this.minCacheableTokens) continue;
      const ttl = points.get(bp)!;
      this.entries.set(keys[bp]!, { expiresAt: this.now() + TTL_MS[ttl], ttl });
      written.push(bp);
      const segment = cumulative[bp]! - segmentStart;
      if (ttl === '1h') creation.ephemeral_1h_input_tokens += segment;
      else creation.ephemeral_5m_input_tokens += segment;
      segmentStart = cumulative[bp]!;
    }
    const creationTokens = creation.ephemeral_5m_input_tokens + creation.ephemeral_1h_input_tokens;
    return {
      inputTokens: total - readTokens - creationTokens,
      cacheCreationInputTokens: creationTokens,
      cacheReadInputTokens: readTokens,
      cacheCreation: creation,
      totalInputTokens: total,
      readUpTo,
      written,
    };
  }
}

/** Tokens of the whole prompt, without any caching (what count_tokens reports). */
export function countPromptTokens(body: Json): number {
  return promptPieces(body).reduce((n, p) => n + p.tokens, 0);
}
