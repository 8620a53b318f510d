/**
 * `onFileChange` hooks: a debounced watcher over the project (chokidar; `.git`, `node_modules` and
 * `.context-forge` are never even descended into) that runs each hook once per burst of changes, with the
 * changed files in `$CHANGED_FILES` (newline-separated), and ignores the writes the hooks make themselves.
 */
import * as path from 'node:path';
import { watch } from 'chokidar';
import type { HookAction } from '../core/config/settings';
import { isIgnoredChange, OwnWrites, pathFilter } from '../core/hooks/file-change-filter';
import type { AgentPort } from '../core/ports/agent';
import type { ProcessRunner } from '../core/ports/process-runner';
import { toProjectPath } from '../core/workspace';

export interface HookFiring {
  hook: HookAction;
  files: string[];
  exitCode: number | null;
  durationMs: number;
  error?: string;
}

export interface WatchServiceOptions {
  root: string;
  hooks: HookAction[];
  runner: ProcessRunner;
  agent?: AgentPort;
  onFired?(firing: HookFiring): void;
  onOutput?(hook: HookAction, text: string): void;
  /** Quiet time after a hook ends during which changes count as its own. */
  settleMs?: number;
}

export class WatchService {
  private readonly own: OwnWrites;
  private readonly pending = new Map<HookAction, Set<string>>();
  private readonly timers = new Map<HookAction, NodeJS.Timeout>();
  private readonly filters: Map<HookAction, (p: string) => boolean>;
  private queue: Promise<void> = Promise.resolve();
  private watcher: ReturnType<typeof watch> | undefined;
  private readonly controller = new AbortController();

  constructor(private readonly options: WatchServiceOptions) {
    this.own = new OwnWrites(options.settleMs ?? 750);
    this.filters = new Map(options.hooks.map((h) => [h, pathFilter(h.paths)]));
  }

  /** Resolves once the initial scan is done and changes are being watched. */
  async start(): Promise<void> {
    const root = this.options.root;
    this.watcher = watch(root, {
      ignoreInitial: true,
      ignored: (p: string) => {
        const rel = toProjectPath(root, p);
        return rel !== '' && isIgnoredChange(rel);
      },
      awaitWriteFinish: false,
    });
    const onChange = (p: string): void => this.changed(toProjectPath(root, path.resolve(root, p)));
    this.watcher.on('add', onChange).on('change', onChange).on('unlink', onChange);
    await new Promise<void>((resolve) => this.watcher!.once('ready', () => resolve()));
  }

  async close(): Promise<void> {
    this.controller.abort();
    for (const t of this.timers.values()) clearTimeout(t);
    await this.watcher?.close();
    await this.queue;
  }

  private changed(relative: string): void {
    if (isIgnoredChange(relative) || this.own.isOwn(Date.now())) return;
    for (const hook of this.options.hooks) {
      if (!this.filters.get(hook)!(relative)) continue;
      let files = this.pending.get(hook);
      if (!files) {
        files = new Set();
        this.pending.set(hook, files);
      }
      files.add(relative);
      clearTimeout(this.timers.get(hook));
      this.timers.set(
        hook,
        setTimeout(() => this.fire(hook), hook.debounceMs),
      );
    }
  }

  private fire(hook: HookAction): void {
    const files = [...(this.pending.get(hook) ?? [])].sort();
    this.pending.delete(hook);
    this.timers.delete(hook);
    if (files.length === 0) return;
    this.queue = this.queue.then(() => this.runHook(hook, files));
  }

  private async runHook(hook: HookAction, files: string[]): Promise<void> {
    if (this.controller.signal.aborted) return;
    const started = Date.now();
    this.own.begin();
    let firing: HookFiring;
    try {
      if (hook.kind === 'run') {
        const result = await this.options.runner.run(
          {
            script: hook.script,
            cwd: this.options.root,
            env: { CHANGED_FILES: files.join('\n') },
            timeoutMs: 10 * 60_000,
          },
          { signal: this.controller.signal, onLine: (l) => this.options.onOutput?.(hook, l.text) },
        );
        firing = {
          hook,
          files,
          exitCode: result.exitCode,
          durationMs: Date.now() - started,
          ...(result.spawnError ? { error: result.spawnError } : {}),
        };
      } else if (this.options.agent) {
        const name = hook.line.trim().replace(/^\//, '').split(/\s+/)[0]!;
        const args = hook.line
          .trim()
          .slice(name.length + 1)
          .trim();
        const result = await this.options.agent.run({
          stepId: 'hook:onFileChange',
          attempt: 1,
          command: name,
          argsText: args,
          feedback: `Changed files:\n${files.join('\n')}`,
          signal: this.controller.signal,
        });
        firing = {
          hook,
          files,
          exitCode: result.status === 'completed' ? 0 : 1,
          durationMs: Date.now() - started,
          ...(result.error ? { error: result.error } : {}),
        };
      } else {
        firing = {
          hook,
          files,
          exitCode: null,
          durationMs: 0,
          error: 'no model provider configured for a slash-command hook',
        };
      }
    } finally {
      this.own.end(Date.now());
    }
    this.options.onFired?.(firing);
  }
}
