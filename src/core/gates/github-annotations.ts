/**
 * GitHub Actions workflow commands for diagnostics (printed when `GITHUB_ACTIONS=true`):
 * `::error file=src/a.ts,line=3,col=7,endLine=3,endColumn=12,title=ts TS2322::Type 'string' is not…`.
 * Escaping follows @actions/core: in the message `%`, `\r`, `\n` become `%25`, `%0D`, `%0A`; in property
 * values `:` and `,` too (`%3A`, `%2C`). Severity error → `error`, warning → `warning`, info → `notice`.
 * A whole-line problem carries no columns; a zero-width one no end column; a problem in a file outside the
 * project (absolute path) is annotated without a file (GitHub cannot link it) and names the file in the message.
 */
import { type Diagnostic, isOutsideProject, isWholeLine } from './diagnostic';

const COMMAND: Record<Diagnostic['severity'], string> = { error: 'error', warning: 'warning', info: 'notice' };

export function formatGithubAnnotation(d: Diagnostic): string {
  const props: string[] = [];
  let message = d.message;
  if (isOutsideProject(d)) {
    message = `${d.file}:${d.line}:${d.column}: ${message}`;
  } else {
    props.push(`file=${escapeProperty(d.file)}`, `line=${d.line}`);
    const multiLine = d.endLine > d.line;
    if (!isWholeLine(d)) {
      props.push(`col=${d.column}`);
      if (multiLine) props.push(`endLine=${d.endLine}`);
      else if (d.endColumn > d.column) props.push(`endLine=${d.endLine}`, `endColumn=${d.endColumn}`);
    } else if (multiLine) {
      props.push(`endLine=${d.endLine}`);
    }
  }
  props.push(`title=${escapeProperty(d.code ? `${d.source} ${d.code}` : d.source)}`);
  return `::${COMMAND[d.severity]} ${props.join(',')}::${escapeData(message)}`;
}

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
