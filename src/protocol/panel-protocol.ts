/**
 * The execution panel's protocol: every message between the extension host and the panel's webview, both ways,
 * as zod schemas (zod/mini, so the webview bundle stays small). Each end validates what it receives with these
 * schemas and drops anything else, so the webview can only ask for the actions named here — never a command id,
 * a path or a shell line of its own: a diagnostic or a log is named by its place in the run the host sent.
 *
 * Flow: the webview posts `ready`; the host answers with `state` (the whole run view) and then `output` batches.
 * Every host message has a `seq`; the webview acknowledges each one with `ack` (and what it rendered), and the
 * host sends no new output batch while one is unacknowledged — lines arriving meanwhile are coalesced, and past
 * the per-step cap dropped (counted), so a step printing 100k lines never floods the panel.
 */
import * as z from 'zod/mini';

export const PANEL_VIEW_TYPE = 'contextForge.runPanel';
/** Lines per `output` message at most (a batch over it keeps only its newest lines, counting the rest). */
export const MAX_LINES_PER_BATCH = 2000;

const text = (max: number) => z.string().check(z.maxLength(max));
const count = z.int().check(z.minimum(0));
const positive = z.int().check(z.minimum(1));

export const RUN_STATUSES = [
  'running',
  'parked',
  'passed',
  'failed',
  'cancelled',
  'interrupted',
  'unresponsive',
] as const;
export const STEP_STATUSES = ['pending', 'running', 'passed', 'failed', 'skipped', 'cancelled'] as const;

export const UsageViewSchema = z.strictObject({
  input: count,
  output: count,
  cacheRead: count,
  cacheWrite: count,
  /** `null`: the model's price is unknown (never shown as $0). */
  costUsd: z.nullable(z.number().check(z.minimum(0))),
});

export const DiagnosticViewSchema = z.strictObject({
  file: text(1000),
  line: positive,
  column: positive,
  severity: z.enum(['error', 'warning', 'info']),
  message: text(2000),
  code: z.optional(text(200)),
  source: text(100),
});

export const CommandViewSchema = z.strictObject({
  command: text(10_000),
  exitCode: z.nullable(z.int()),
  signal: z.optional(text(40)),
  timedOut: z.optional(z.boolean()),
  spawnError: z.optional(text(2000)),
  durationMs: count,
  hasLog: z.boolean(),
  diagnostics: z.array(DiagnosticViewSchema).check(z.maxLength(500)),
  /** Diagnostics left out of `diagnostics` (the list is capped). */
  moreDiagnostics: count,
  failingTests: z.array(text(500)).check(z.maxLength(200)),
  failureClass: z.optional(text(20)),
});

export const StepViewSchema = z.strictObject({
  id: text(500),
  name: text(500),
  kind: z.enum(['shell', 'level', 'agent', 'implement', 'parallel', 'if']),
  depth: count,
  status: z.enum(STEP_STATUSES),
  attempts: count,
  retries: count,
  durationMs: count,
  level: z.optional(positive),
  reason: z.optional(text(4000)),
  failureClass: z.optional(text(20)),
  usage: z.optional(UsageViewSchema),
  commands: z.array(CommandViewSchema).check(z.maxLength(200)),
});

export const RunViewSchema = z.strictObject({
  runId: text(100),
  kind: z.enum(['workflow', 'prp', 'validate', 'command']),
  target: text(1000),
  status: z.enum(RUN_STATUSES),
  /** Started by this window (so Cancel can reach it directly). */
  live: z.boolean(),
  startedAt: count,
  durationMs: z.optional(count),
  progress: z.strictObject({ done: count, total: count, current: z.optional(text(500)) }),
  usage: UsageViewSchema,
  reason: z.optional(text(4000)),
  parkedUntil: z.optional(count),
  actions: z.strictObject({ cancel: z.boolean(), resume: z.boolean(), rerun: z.boolean(), report: z.boolean() }),
  /** Restricted Mode: the panel shows the run but every action that runs something is disabled. */
  trusted: z.boolean(),
  steps: z.array(StepViewSchema).check(z.maxLength(5000)),
});

export const OutputChunkSchema = z.strictObject({
  stepId: text(500),
  attempt: count,
  /** Replace what the panel holds for this step (a restored run, or a new attempt). */
  reset: z.optional(z.boolean()),
  /** Lines before these that were not sent (over the cap); the full output is in the step's log. */
  dropped: count,
  lines: z.array(text(4000)).check(z.maxLength(MAX_LINES_PER_BATCH)),
  /** Indexes into `lines` of stderr lines. */
  stderr: z.optional(z.array(count)),
});

export const HostMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('state'), seq: count, run: RunViewSchema }),
  z.strictObject({
    type: z.literal('output'),
    seq: count,
    chunks: z.array(OutputChunkSchema).check(z.maxLength(500)),
  }),
  z.strictObject({ type: z.literal('notice'), seq: count, level: z.enum(['info', 'error']), message: text(2000) }),
]);

const ref = { stepId: text(500), command: count };

export const WebviewMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({
    type: z.literal('ack'),
    seq: count,
    rendered: z.strictObject({ steps: count, lines: count, domRows: count }),
  }),
  z.strictObject({ type: z.literal('cancel') }),
  z.strictObject({ type: z.literal('resume') }),
  z.strictObject({ type: z.literal('rerun') }),
  z.strictObject({ type: z.literal('openReport') }),
  /** Opens the file of diagnostic `diagnostic` of command `command` of step `stepId`, at its line. */
  z.strictObject({ type: z.literal('openDiagnostic'), ...ref, diagnostic: count }),
  /** Opens the log file of command `command` of step `stepId`. */
  z.strictObject({ type: z.literal('openLog'), ...ref }),
]);

export type UsageView = z.infer<typeof UsageViewSchema>;
export type DiagnosticView = z.infer<typeof DiagnosticViewSchema>;
export type CommandView = z.infer<typeof CommandViewSchema>;
export type StepView = z.infer<typeof StepViewSchema>;
export type RunView = z.infer<typeof RunViewSchema>;
export type RunViewStatus = RunView['status'];
export type OutputChunk = z.infer<typeof OutputChunkSchema>;
export type HostMessage = z.infer<typeof HostMessageSchema>;
export type WebviewMessage = z.infer<typeof WebviewMessageSchema>;

export type Parsed<T> = { ok: true; message: T } | { ok: false; error: string };

function parseWith<T>(schema: z.ZodMiniType<T>, raw: unknown): Parsed<T> {
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, message: result.data };
  const first = result.error.issues[0];
  const where = first?.path.length ? ` at ${first.path.join('.')}` : '';
  return { ok: false, error: `${first?.message ?? 'invalid message'}${where}` };
}

/** What the host accepts from the webview. */
export function parseWebviewMessage(raw: unknown): Parsed<WebviewMessage> {
  return parseWith(WebviewMessageSchema, raw);
}

/** What the webview accepts from the host. */
export function parseHostMessage(raw: unknown): Parsed<HostMessage> {
  return parseWith(HostMessageSchema, raw);
}
