/**
 * The live output the panel shows for each step of a run in this window: the latest attempt's newest lines, at
 * most `cap` per step (what falls out is counted; the step's log file keeps everything).
 */
import { displayText } from '../../protocol/sanitize';

export interface StepOutputLines {
  attempt: number;
  lines: string[];
  stderr: boolean[];
  dropped: number;
}

export class StepOutputBuffers {
  private readonly steps = new Map<string, StepOutputLines>();

  constructor(private cap: number) {}

  setCap(cap: number): void {
    this.cap = cap;
  }

  push(stepId: string, attempt: number, text: string, stderr: boolean): void {
    let buf = this.steps.get(stepId);
    if (!buf || buf.attempt !== attempt) {
      buf = { attempt, lines: [], stderr: [], dropped: 0 };
      this.steps.set(stepId, buf);
    }
    buf.lines.push(displayText(text, 4000));
    buf.stderr.push(stderr);
    if (buf.lines.length > this.cap * 1.25) {
      const over = buf.lines.length - this.cap;
      buf.lines.splice(0, over);
      buf.stderr.splice(0, over);
      buf.dropped += over;
    }
  }

  get(stepId: string): StepOutputLines | undefined {
    const buf = this.steps.get(stepId);
    if (!buf) return undefined;
    const over = Math.max(0, buf.lines.length - this.cap);
    return {
      attempt: buf.attempt,
      lines: buf.lines.slice(over),
      stderr: buf.stderr.slice(over),
      dropped: buf.dropped + over,
    };
  }

  entries(): Array<[string, StepOutputLines]> {
    return [...this.steps.keys()].map((id) => [id, this.get(id)!]);
  }
}
