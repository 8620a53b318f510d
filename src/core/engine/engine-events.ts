/**
 * What a running engine tells its host (CLI printer, VS Code panel, status bar, hooks): a small typed
 * emitter. Listeners must not throw; an exception in one is caught and reported as an `error` event.
 */
import type { OutputLine } from '../ports/process-runner';
import type { RunEvent, RunStatus, StepFinishedEvent, StepStartedEvent } from '../run/events';

export interface EngineEventMap {
  /** Every journal event, as it is appended. */
  journal: RunEvent;
  stepStart: StepStartedEvent & { name: string; kind: string };
  stepComplete: StepFinishedEvent & { name: string; kind: string };
  /** A line of a step's output. */
  output: { stepId: string; attempt: number; line: OutputLine };
  error: { stepId?: string; message: string };
  complete: { status: RunStatus; durationMs: number };
}

type Listener<T> = (payload: T) => void;

export class EngineEvents {
  private readonly listeners: { [K in keyof EngineEventMap]?: Set<Listener<EngineEventMap[K]>> } = {};

  on<K extends keyof EngineEventMap>(event: K, listener: Listener<EngineEventMap[K]>): () => void {
    let set = this.listeners[event] as Set<Listener<EngineEventMap[K]>> | undefined;
    if (!set) {
      set = new Set();
      (this.listeners as Record<string, unknown>)[event] = set;
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  emit<K extends keyof EngineEventMap>(event: K, payload: EngineEventMap[K]): void {
    const set = this.listeners[event] as Set<Listener<EngineEventMap[K]>> | undefined;
    if (!set) return;
    for (const listener of set) {
      try {
        listener(payload);
      } catch (err) {
        if (event !== 'error') this.emit('error', { message: `event listener failed: ${(err as Error).message}` });
      }
    }
  }
}
