/**
 * A fake Anthropic Messages API: a real HTTP server on 127.0.0.1 (random port) that the real
 * `@anthropic-ai/sdk` reaches through `baseURL`.
 *
 *   const fake = await FakeAnthropic.start();            // apiKey 'sk-ant-fake-key' unless given
 *   fake.enqueue(reply.toolUse('read_file', { path: 'a.ts' }), reply.text('Done.'));   // FIFO replies
 *   fake.script((req) => (req.body.messages.length > 2 ? reply.text('ok') : fault.overloaded()));
 *   … new Anthropic({ apiKey: fake.apiKey, baseURL: fake.baseURL, maxRetries: 0 }) …
 *   fake.messageRequests()[0].headers['x-api-key'], .body, .accounting   // every request is recorded
 *   await fake.stop();
 *
 * Routes: `POST /v1/messages` (JSON, or SSE with `stream: true`) and `POST /v1/messages/count_tokens`.
 * Before a reply is chosen, each request is checked like the real API would: the key (`x-api-key` or
 * `Authorization: Bearer`, 401),
 * `anthropic-version` (400), required fields, at most 4 cache breakpoints, and tool_use/tool_result
 * pairing between consecutive messages (400). Queued replies are used first, then the script function;
 * with neither, the request gets a 500 naming the request (`unscripted` is set on its record).
 * Token counting and prompt caching: see `accounting.ts`.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Accounting, countCacheMarkers, countPromptTokens, PromptCache } from './accounting';
import type { ErrorReply, MessageReply, Reply } from './replies';
import { renderEvents, renderJson, sseFrame, type WireEvent } from './wire';

export interface MessagesBody {
  model: string;
  max_tokens: number;
  stream?: boolean;
  system?: unknown;
  tools?: Array<Record<string, unknown>>;
  messages: Array<{ role: string; content: string | Array<Record<string, unknown>> }>;
  cache_control?: unknown;
  [key: string]: unknown;
}

export interface RecordedRequest {
  /** 0-based, over every request the server received. */
  index: number;
  method: string;
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  rawBody: string;
  /** The parsed JSON body (shape not guaranteed for requests the server rejected). */
  body: MessagesBody;
  stream: boolean;
  /** The request-id header sent back. */
  requestId: string;
  /** Token and cache accounting, for requests answered with a message. */
  accounting?: Accounting;
  /** What the server did: status sent (0 for a hang), and the kind of reply. */
  response?: { status: number; kind: 'message' | 'error' | 'hang' | 'count_tokens'; fault?: string };
  /** The SSE events actually written, in order (a cut or stalled stream has fewer than rendered). */
  sentEvents?: WireEvent[];
  /** No reply was queued or scripted for it. */
  unscripted?: boolean;
}

export type ScriptFn = (request: RecordedRequest) => Reply | Promise<Reply>;

export interface FakeAnthropicOptions {
  /** The only key accepted (default `sk-ant-fake-key`). */
  apiKey?: string;
  /** Smallest prefix (tokens) that can be cached (default 1024). */
  minCacheableTokens?: number;
  /** The server's clock (cache TTLs, rate-limit reset headers). Default `Date.now`. */
  now?: () => number;
}

const ORG_ID = '00000000-0000-4000-8000-00000000f4ce';

/**
 * The key a request authenticated with: `x-api-key` (the documented header, used by older SDKs and curl)
 * or `Authorization: Bearer <key>` (what @anthropic-ai/sdk 1.x sends for `apiKey`).
 */
export function apiKeyOf(request: Pick<RecordedRequest, 'headers'>): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
  return request.headers['x-api-key'] ?? bearer;
}

export class FakeAnthropic {
  readonly requests: RecordedRequest[] = [];
  readonly cache: PromptCache;
  readonly apiKey: string;
  private readonly queue: Reply[] = [];
  private scriptFn: ScriptFn | undefined;
  private readonly now: () => number;
  private idCounter = 0;
  private baseUrl = '';

  private constructor(
    private readonly server: http.Server,
    options: FakeAnthropicOptions,
  ) {
    this.apiKey = options.apiKey ?? 'sk-ant-fake-key';
    this.now = options.now ?? Date.now;
    this.cache = new PromptCache(this.now, options.minCacheableTokens ?? 1024);
  }

  static async start(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
    const server = http.createServer();
    const fake = new FakeAnthropic(server, options);
    server.on('request', (req, res) => {
      fake.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({ type: 'error', error: { type: 'api_error', message: `fake-anthropic crashed: ${err}` } }),
          );
        } else {
          res.destroy();
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    fake.baseUrl = `http://127.0.0.1:${port}`;
    return fake;
  }

  /** `http://127.0.0.1:<port>` — give it to the SDK as `baseURL`. */
  get baseURL(): string {
    return this.baseUrl;
  }

  /** Replies used in order, one per `POST /v1/messages`, before the script function. */
  enqueue(...replies: Reply[]): this {
    this.queue.push(...replies);
    return this;
  }

  /** Answers every request the queue does not. */
  script(fn: ScriptFn): this {
    this.scriptFn = fn;
    return this;
  }

  /** Replies still queued. */
  get pending(): number {
    return this.queue.length;
  }

  /** The recorded `POST /v1/messages` requests. */
  messageRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path === '/v1/messages');
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private newId(prefix: string): string {
    this.idCounter += 1;
    return `${prefix}_fake${String(this.idCounter).padStart(6, '0')}`;
  }

  private baseHeaders(requestId: string, exhaustedForMs?: number): Record<string, string> {
    const now = this.now();
    const reset = new Date(now + (exhaustedForMs ?? 60_000)).toISOString();
    const exhausted = exhaustedForMs !== undefined;
    const headers: Record<string, string> = { 'request-id': requestId, 'anthropic-organization-id': ORG_ID };
    for (const [name, limit] of [
      ['requests', 1000],
      ['tokens', 480_000],
      ['input-tokens', 400_000],
      ['output-tokens', 80_000],
    ] as const) {
      headers[`anthropic-ratelimit-${name}-limit`] = String(limit);
      headers[`anthropic-ratelimit-${name}-remaining`] = exhausted ? '0' : String(limit - 1);
      headers[`anthropic-ratelimit-${name}-reset`] = reset;
    }
    return headers;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    }
    let body: unknown;
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      body = undefined;
    }
    const record: RecordedRequest = {
      index: this.requests.length,
      method: req.method ?? '',
      path: (req.url ?? '').split('?')[0] ?? '',
      headers,
      rawBody,
      body: body as MessagesBody,
      stream: (body as MessagesBody | undefined)?.stream === true,
      requestId: `req_fake${String(this.requests.length + 1).padStart(6, '0')}`,
    };
    this.requests.push(record);

    const rejection = this.validate(record, body);
    if (rejection) return this.sendError(res, record, rejection);

    if (record.path === '/v1/messages/count_tokens') {
      record.response = { status: 200, kind: 'count_tokens' };
      res.writeHead(200, { ...this.baseHeaders(record.requestId), 'content-type': 'application/json' });
      res.end(JSON.stringify({ input_tokens: countPromptTokens(record.body) }));
      return;
    }

    let chosen = this.queue.shift();
    if (!chosen && this.scriptFn) chosen = await this.scriptFn(record);
    if (!chosen) {
      record.unscripted = true;
      return this.sendError(res, record, {
        kind: 'error',
        status: 500,
        errorType: 'api_error',
        message: `fake-anthropic: no reply queued or scripted for request #${record.index} (${record.method} ${record.path})`,
      });
    }
    switch (chosen.kind) {
      case 'error':
        return this.sendError(res, record, chosen);
      case 'hang':
        record.response = { status: 0, kind: 'hang', fault: 'hang' };
        return; // never answered; stop() closes the connection
      case 'message':
        return this.sendMessage(res, record, chosen);
    }
  }

  private validate(record: RecordedRequest, body: unknown): ErrorReply | undefined {
    const bad = (message: string): ErrorReply => ({
      kind: 'error',
      status: 400,
      errorType: 'invalid_request_error',
      message,
    });
    if (record.method !== 'POST' || !['/v1/messages', '/v1/messages/count_tokens'].includes(record.path)) {
      return { kind: 'error', status: 404, errorType: 'not_found_error', message: 'Not found' };
    }
    if (apiKeyOf(record) !== this.apiKey) {
      return { kind: 'error', status: 401, errorType: 'authentication_error', message: 'invalid x-api-key' };
    }
    if (!record.headers['anthropic-version']) return bad('anthropic-version: header is required');
    if (!body || typeof body !== 'object' || Array.isArray(body)) return bad('The request body is not valid JSON.');
    const b = body as Record<string, unknown>;
    if (typeof b.model !== 'string' || b.model === '') return bad('model: Field required');
    if (record.path === '/v1/messages' && (!Number.isInteger(b.max_tokens) || (b.max_tokens as number) < 1)) {
      return bad('max_tokens: Field required');
    }
    if (!Array.isArray(b.messages) || b.messages.length === 0) return bad('messages: Field required');
    const messages = b.messages as Array<Record<string, unknown>>;
    for (const [i, m] of messages.entries()) {
      if (m.role !== 'user' && m.role !== 'assistant')
        return bad(`messages.${i}.role: Input should be 'user' or 'assistant'`);
      if (typeof m.content !== 'string' && !Array.isArray(m.content))
        return bad(`messages.${i}.content: Field required`);
    }
    const markers = countCacheMarkers(b);
    if (markers > 4) return bad(`A maximum of 4 blocks with cache_control may be provided. Found ${markers}.`);
    const blocksOf = (m: Record<string, unknown> | undefined): Array<Record<string, unknown>> =>
      m && Array.isArray(m.content) ? (m.content as Array<Record<string, unknown>>) : [];
    for (const [i, m] of messages.entries()) {
      if (m.role === 'assistant') {
        const ids = blocksOf(m)
          .filter((x) => x.type === 'tool_use')
          .map((x) => String(x.id));
        if (ids.length === 0) continue;
        const next = messages[i + 1];
        if (!next) continue; // a trailing assistant message (prefill / pause_turn continuation)
        const answered = new Set(
          blocksOf(next)
            .filter((x) => x.type === 'tool_result')
            .map((x) => String(x.tool_use_id)),
        );
        const missing = ids.filter((id) => !answered.has(id));
        if (next.role !== 'user' || missing.length > 0) {
          return bad(
            `messages.${i + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`,
          );
        }
      } else {
        const results = blocksOf(m).filter((x) => x.type === 'tool_result');
        if (results.length === 0) continue;
        const prev = messages[i - 1];
        const used = new Set(
          blocksOf(prev)
            .filter((x) => x.type === 'tool_use')
            .map((x) => String(x.id)),
        );
        const unexpected = results.map((x) => String(x.tool_use_id)).filter((id) => !used.has(id));
        if (prev?.role !== 'assistant' || unexpected.length > 0) {
          return bad(
            `messages.${i}.content: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${unexpected.join(', ')}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`,
          );
        }
      }
    }
    return undefined;
  }

  private sendError(res: http.ServerResponse, record: RecordedRequest, e: ErrorReply): void {
    record.response = { status: e.status, kind: 'error', fault: e.errorType };
    const error: Record<string, unknown> = { type: e.errorType, message: e.message };
    if (e.details) error.details = e.details;
    res.writeHead(e.status, {
      ...this.baseHeaders(record.requestId, e.resetInMs),
      ...e.headers,
      'content-type': 'application/json',
    });
    res.end(JSON.stringify({ type: 'error', error, request_id: record.requestId }));
  }

  private async sendMessage(res: http.ServerResponse, record: RecordedRequest, answer: MessageReply): Promise<void> {
    const accounting = this.cache.account(record.body.model, record.body);
    record.accounting = accounting;
    const ctx = {
      model: record.body.model,
      messageId: this.newId('msg'),
      accounting,
      newId: (p: string) => this.newId(p),
    };
    const shape = answer.stream ?? {};
    const fault =
      shape.cutAfterEvents !== undefined
        ? 'cut'
        : shape.errorAfterEvents !== undefined
          ? `sse_error:${shape.errorType ?? 'overloaded_error'}`
          : shape.stallAfterEvents !== undefined
            ? 'stall'
            : undefined;
    record.response = { status: 200, kind: 'message', ...(fault ? { fault } : {}) };

    if (!record.stream) {
      const json = JSON.stringify(renderJson(answer, ctx));
      res.writeHead(200, {
        ...this.baseHeaders(record.requestId),
        ...answer.headers,
        'content-type': 'application/json',
      });
      if (shape.cutAfterEvents !== undefined) {
        await new Promise<void>((r) => res.write(json.slice(0, Math.floor(json.length / 2)), () => r()));
        res.socket?.destroy();
        return;
      }
      res.end(json);
      return;
    }

    const events = renderEvents(answer, ctx);
    // A negative event count counts from the end (-2: everything but message_delta and message_stop).
    const at = (n: number | undefined) => (n !== undefined && n < 0 ? events.length + n : n);
    const cutAt = at(shape.cutAfterEvents);
    const errorAt = at(shape.errorAfterEvents);
    const stallAt = at(shape.stallAfterEvents);
    res.writeHead(200, {
      ...this.baseHeaders(record.requestId),
      ...answer.headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
    });
    res.flushHeaders();
    const sent: WireEvent[] = [];
    record.sentEvents = sent;
    const write = (e: WireEvent) => {
      sent.push(e);
      return new Promise<void>((r) => res.write(sseFrame(e), () => r()));
    };
    for (let i = 0; i <= events.length; i++) {
      if (res.destroyed) return; // the client went away
      if (cutAt === i) {
        res.socket?.destroy();
        return;
      }
      if (errorAt === i) {
        const error = { type: shape.errorType ?? 'overloaded_error', message: shape.errorMessage ?? 'Overloaded' };
        await write({ event: 'error', data: { type: 'error', error, request_id: record.requestId } });
        res.end();
        return;
      }
      if (stallAt === i) return; // keep the connection open, send nothing more
      if (i === events.length) break;
      if (shape.eventDelayMs) await new Promise((r) => setTimeout(r, shape.eventDelayMs));
      await write(events[i]!);
    }
    res.end();
  }
}
