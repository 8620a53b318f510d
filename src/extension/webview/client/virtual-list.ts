/**
 * A list of text lines that only puts the visible rows (plus a margin) into the page, so a step's output can be
 * tens of thousands of lines without slowing the panel. Rows have a fixed height; text goes in with `textContent`.
 */
export const ROW_HEIGHT = 18;
const MARGIN = 20;

export class VirtualLines {
  readonly element: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly rows: HTMLDivElement;
  private lines: readonly string[] = [];
  private stderr: ReadonlySet<number> = new Set();
  private frame = 0;
  private stick = true;

  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'output-lines';
    this.element.tabIndex = 0;
    this.spacer = document.createElement('div');
    this.spacer.className = 'output-spacer';
    this.rows = document.createElement('div');
    this.rows.className = 'output-rows';
    this.spacer.append(this.rows);
    this.element.append(this.spacer);
    this.element.addEventListener('scroll', () => {
      const el = this.element;
      this.stick = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_HEIGHT * 2;
      this.schedule();
    });
  }

  /** Rows currently in the page (bounded by the viewport, whatever the number of lines). */
  get domRows(): number {
    return this.rows.childElementCount;
  }

  set(lines: readonly string[], stderr: ReadonlySet<number>): void {
    this.lines = lines;
    this.stderr = stderr;
    this.spacer.style.height = `${lines.length * ROW_HEIGHT}px`;
    if (this.stick) this.element.scrollTop = this.element.scrollHeight;
    // At most one call per host message: render now, so the acknowledgement reports what the page holds.
    this.render();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  render(): void {
    const height = this.element.clientHeight || 400;
    const first = Math.max(0, Math.floor(this.element.scrollTop / ROW_HEIGHT) - MARGIN);
    const last = Math.min(this.lines.length, Math.ceil((this.element.scrollTop + height) / ROW_HEIGHT) + MARGIN);
    this.rows.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    const fragment = document.createDocumentFragment();
    for (let i = first; i < last; i++) {
      const row = document.createElement('div');
      row.className = this.stderr.has(i) ? 'line stderr' : 'line';
      row.textContent = this.lines[i] ?? '';
      fragment.append(row);
    }
    this.rows.replaceChildren(fragment);
  }
}
