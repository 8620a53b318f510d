/**
 * The execution panel (runs in the webview). It renders what the host sends — validated with the protocol's zod
 * schemas, anything else dropped — and sends back only the protocol's messages. All text goes into the page with
 * `textContent`; nothing is ever parsed as HTML.
 */
import {
  type HostMessage,
  type OutputChunk,
  parseHostMessage,
  type RunView,
  type StepView,
  type UsageView,
  type WebviewMessage,
} from '../../../protocol/panel-protocol';
import { VirtualLines } from './virtual-list';

const api = acquireVsCodeApi();
const send = (message: WebviewMessage): void => api.postMessage(message);

/** Lines kept per step in the page (the host caps what it sends; this bounds memory whatever happens). */
const MAX_LINES = 20_000;

interface StepOutput {
  attempt: number;
  lines: string[];
  stderr: Set<number>;
  dropped: number;
}

const app = document.getElementById('app') as HTMLElement;
const saved = (api.getState() ?? {}) as { runId?: string; selected?: string };
let run: RunView | undefined;
let selected: string | undefined = saved.selected;
let userSelected = Boolean(saved.selected);
const output = new Map<string, StepOutput>();
const lines = new VirtualLines();

const ICONS: Record<StepView['status'] | RunView['status'], string> = {
  pending: 'circle-large-outline',
  running: 'loading codicon-modifier-spin',
  passed: 'pass',
  failed: 'error',
  skipped: 'debug-step-over',
  cancelled: 'circle-slash',
  parked: 'clock',
  interrupted: 'debug-pause',
  unresponsive: 'warning',
};

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; text?: string; title?: string; data?: Record<string, string> } = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (props.className) e.className = props.className;
  if (props.text !== undefined) e.textContent = props.text;
  if (props.title) e.title = props.title;
  for (const [k, v] of Object.entries(props.data ?? {})) e.dataset[k] = v;
  e.append(...children);
  return e;
}

function icon(name: string): HTMLElement {
  return el('span', { className: `codicon codicon-${name}` });
}

function duration(ms: number | undefined): string {
  if (ms === undefined) return '';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function usageText(u: UsageView): string {
  if (u.input + u.output + u.cacheRead + u.cacheWrite === 0) return 'none (no model used)';
  const cost = u.costUsd === null ? 'cost unknown' : `$${u.costUsd.toFixed(u.costUsd < 1 ? 4 : 2)}`;
  return `${u.input.toLocaleString()} in · ${u.output.toLocaleString()} out · ${u.cacheRead.toLocaleString()} cached · ${cost}`;
}

function button(
  label: string,
  codicon: string,
  enabled: boolean,
  message: WebviewMessage,
  id: string,
): HTMLButtonElement {
  const b = el(
    'button',
    { className: 'action', title: label, data: { action: id } },
    icon(codicon),
    el('span', { text: label }),
  );
  b.disabled = !enabled;
  b.addEventListener('click', () => send(message));
  return b;
}

function defaultSelection(view: RunView): string | undefined {
  const work = view.steps.filter((s) => s.kind !== 'parallel' && s.kind !== 'if');
  return (
    work.find((s) => s.status === 'running')?.id ??
    work.find((s) => s.status === 'failed')?.id ??
    [...work].reverse().find((s) => s.status !== 'pending')?.id ??
    work[0]?.id
  );
}

function renderHeader(view: RunView): HTMLElement {
  const actions = el(
    'div',
    { className: 'actions' },
    button('Cancel', 'debug-stop', view.actions.cancel, { type: 'cancel' }, 'cancel'),
    button('Resume', 'debug-continue', view.actions.resume, { type: 'resume' }, 'resume'),
    button('Re-run', 'debug-rerun', view.actions.rerun, { type: 'rerun' }, 'rerun'),
    button('Open report', 'output', view.actions.report, { type: 'openReport' }, 'report'),
  );
  const status = el(
    'span',
    { className: `badge status-${view.status}`, data: { status: view.status } },
    icon(ICONS[view.status]),
    el('span', { text: view.status }),
  );
  status.id = 'run-status';
  const progress = el('span', {
    className: 'muted',
    text: `step ${Math.min(view.progress.total, view.progress.done + (view.progress.current ? 1 : 0))}/${view.progress.total}${
      view.progress.current ? ` · ${view.progress.current}` : ''
    }`,
  });
  progress.id = 'run-progress';
  const header = el(
    'header',
    {},
    el('div', { className: 'title-row' }, el('h1', { text: view.target }), status),
    el(
      'div',
      { className: 'meta' },
      progress,
      el('span', { className: 'muted', text: `${view.kind} · run ${view.runId}` }),
      el('span', { className: 'muted', text: duration(view.durationMs) }),
      el('span', { className: 'muted', text: `tokens ${usageText(view.usage)}` }),
    ),
    actions,
  );
  if (!view.trusted)
    header.append(
      el('p', {
        className: 'notice',
        text: 'Restricted Mode: this workspace is not trusted, so nothing can be run from here.',
      }),
    );
  if (view.reason) header.append(el('p', { className: 'reason', text: view.reason }));
  return header;
}

function renderSteps(view: RunView): HTMLElement {
  const list = el('ol', { className: 'steps' });
  list.setAttribute('role', 'listbox');
  for (const step of view.steps) {
    const item = el(
      'li',
      {
        className: `step ${step.id === selected ? 'selected' : ''} kind-${step.kind}`,
        data: { stepId: step.id, status: step.status },
      },
      icon(ICONS[step.status]),
      el('span', { className: 'step-name', text: step.name }),
      el('span', {
        className: 'muted',
        text: [
          step.attempts > 1 ? `attempt ${step.attempts}` : '',
          step.durationMs ? duration(step.durationMs) : '',
          step.usage ? `${(step.usage.input + step.usage.output).toLocaleString()} tok` : '',
        ]
          .filter(Boolean)
          .join(' · '),
      }),
    );
    item.style.paddingLeft = `${8 + step.depth * 16}px`;
    item.setAttribute('role', 'option');
    item.tabIndex = 0;
    const choose = (): void => {
      selected = step.id;
      userSelected = true;
      persist();
      render();
    };
    item.addEventListener('click', choose);
    item.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') choose();
    });
    list.append(item);
  }
  return list;
}

function renderDetail(view: RunView): HTMLElement {
  const step = view.steps.find((s) => s.id === selected);
  const detail = el('section', { className: 'detail' });
  if (!step) {
    detail.append(el('p', { className: 'muted', text: 'Select a step to see its evidence and output.' }));
    return detail;
  }
  detail.append(
    el('h2', { text: step.name }),
    el('p', {
      className: 'muted',
      text: [
        `${step.kind} · ${step.status}`,
        step.attempts ? `attempt ${step.attempts}` : '',
        step.retries ? `${step.retries} retr${step.retries === 1 ? 'y' : 'ies'}` : '',
        step.failureClass ? `failure: ${step.failureClass}` : '',
        duration(step.durationMs),
      ]
        .filter(Boolean)
        .join(' · '),
    }),
  );
  if (step.usage) detail.append(el('p', { className: 'muted', text: `tokens ${usageText(step.usage)}` }));
  if (step.reason) detail.append(el('p', { className: 'reason', text: step.reason }));
  step.commands.forEach((c, index) => {
    const result =
      c.spawnError !== undefined
        ? `could not start: ${c.spawnError}`
        : c.timedOut
          ? 'timed out'
          : c.exitCode === null
            ? `killed by ${c.signal ?? 'a signal'}`
            : `exit code ${c.exitCode}`;
    const box = el(
      'div',
      { className: `evidence ${c.exitCode === 0 ? 'ok' : 'bad'}`, data: { exitCode: String(c.exitCode) } },
      el('code', { className: 'command', text: `$ ${c.command}` }),
      el('span', { className: 'result', text: `${result} · ${duration(c.durationMs)}` }),
    );
    if (c.hasLog) {
      const link = el('a', { className: 'log-link', text: 'Open full log' });
      link.href = '#';
      link.addEventListener('click', (e) => {
        e.preventDefault();
        send({ type: 'openLog', stepId: step.id, command: index });
      });
      box.append(link);
    }
    if (c.diagnostics.length) {
      const list = el('ul', { className: 'diagnostics' });
      c.diagnostics.forEach((d, di) => {
        const link = el('a', { className: 'location', text: `${d.file}:${d.line}:${d.column}` });
        link.href = '#';
        link.addEventListener('click', (e) => {
          e.preventDefault();
          send({ type: 'openDiagnostic', stepId: step.id, command: index, diagnostic: di });
        });
        list.append(
          el(
            'li',
            { className: `diagnostic ${d.severity}` },
            icon(d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'info'),
            link,
            el('span', { text: ` ${d.message}` }),
            el('span', { className: 'muted', text: ` ${d.source}${d.code ? `(${d.code})` : ''}` }),
          ),
        );
      });
      if (c.moreDiagnostics) list.append(el('li', { className: 'muted', text: `… and ${c.moreDiagnostics} more` }));
      box.append(list);
    }
    if (c.failingTests.length)
      box.append(el('p', { className: 'muted', text: `failing tests: ${c.failingTests.join(', ')}` }));
    detail.append(box);
  });
  const out = output.get(step.id);
  detail.append(
    el(
      'div',
      { className: 'output-header' },
      el('span', { text: 'Output' }),
      el('span', {
        className: 'muted',
        text: out
          ? `${out.lines.length.toLocaleString()} lines${out.dropped ? ` (${out.dropped.toLocaleString()} earlier lines only in the log)` : ''}`
          : 'no output yet',
      }),
    ),
    lines.element,
  );
  lines.set(out?.lines ?? [], out?.stderr ?? new Set());
  return detail;
}

function render(): void {
  if (!run) return;
  if (!userSelected || !run.steps.some((s) => s.id === selected)) selected = defaultSelection(run);
  const layout = el('div', { className: 'layout' }, renderSteps(run), renderDetail(run));
  app.replaceChildren(renderHeader(run), layout);
  document.body.dataset.ready = 'true';
  document.body.dataset.status = run.status;
}

function applyOutput(chunk: OutputChunk): void {
  let out = output.get(chunk.stepId);
  if (!out || chunk.reset || out.attempt !== chunk.attempt) {
    out = { attempt: chunk.attempt, lines: [], stderr: new Set(), dropped: 0 };
    output.set(chunk.stepId, out);
  }
  out.dropped += chunk.dropped;
  const base = out.lines.length;
  for (const i of chunk.stderr ?? []) out.stderr.add(base + i);
  out.lines.push(...chunk.lines);
  if (out.lines.length > MAX_LINES) {
    const over = out.lines.length - MAX_LINES;
    out.lines.splice(0, over);
    out.dropped += over;
    out.stderr = new Set([...out.stderr].map((i) => i - over).filter((i) => i >= 0));
  }
}

function persist(): void {
  api.setState({ runId: app.dataset.runId, selected });
}

function handle(message: HostMessage): void {
  switch (message.type) {
    case 'state':
      run = message.run;
      persist();
      render();
      break;
    case 'output': {
      for (const chunk of message.chunks) applyOutput(chunk);
      const out = selected && message.chunks.some((c) => c.stepId === selected) ? output.get(selected) : undefined;
      if (out) {
        const header = document.querySelector('.output-header .muted');
        if (header)
          header.textContent = `${out.lines.length.toLocaleString()} lines${out.dropped ? ` (${out.dropped.toLocaleString()} earlier lines only in the log)` : ''}`;
        lines.set(out.lines, out.stderr);
      }
      break;
    }
    case 'notice':
      app.prepend(el('p', { className: `notice ${message.level}`, text: message.message }));
      break;
  }
  send({
    type: 'ack',
    seq: message.seq,
    rendered: {
      steps: run?.steps.length ?? 0,
      lines: selected ? (output.get(selected)?.lines.length ?? 0) : 0,
      domRows: lines.domRows,
    },
  });
}

window.addEventListener('message', (event: MessageEvent) => {
  const parsed = parseHostMessage(event.data);
  if (!parsed.ok) {
    console.warn(`Context Forge panel: dropped a message the protocol does not name (${parsed.error})`);
    return;
  }
  handle(parsed.message);
});

send({ type: 'ready' });
