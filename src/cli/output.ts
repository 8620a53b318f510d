/** Terminal output: colour only on a TTY and never when `--no-color` or `NO_COLOR` is set. */
import { styleText } from 'node:util';
import { formatProblem, type Problem } from '../core/problems';

type Style = Parameters<typeof styleText>[0];

export interface Output {
  readonly color: boolean;
  out(text: string): void;
  err(text: string): void;
  style(style: Style, text: string): string;
  problems(problems: readonly Problem[]): void;
  json(value: unknown): void;
}

export function colorWanted(flag: boolean | undefined, stream: NodeJS.WriteStream, env = process.env): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

export function createOutput(
  color: boolean,
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
): Output {
  const style = (s: Style, text: string): string => (color ? styleText(s, text, { validateStream: false }) : text);
  return {
    color,
    out: (text) => stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    style,
    problems(problems) {
      for (const p of problems) {
        const line = formatProblem(p);
        const sev =
          p.severity === 'error'
            ? style('red', 'error')
            : p.severity === 'warning'
              ? style('yellow', 'warning')
              : style('blue', 'info');
        stderr.write(`${color ? line.replace(`: ${p.severity}: `, `: ${sev}: `) : line}\n`);
      }
    },
    json(value) {
      stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
  };
}
