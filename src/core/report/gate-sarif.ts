/** Gate diagnostics of a run as SARIF 2.1.0 (`validate --format sarif`): one result per diagnostic. */
import { WHOLE_LINE_END_COLUMN } from '../gates/diagnostic';
import type { Problem } from '../problems';
import type { RunState } from '../run/fold';
import { toSarif } from './sarif';

export function gateDiagnosticsSarif(state: RunState, options: { version?: string; projectRoot?: string } = {}) {
  const problems: Problem[] = [];
  for (const step of state.steps) {
    for (const ev of step.evidence ?? []) {
      for (const d of ev.diagnostics) {
        problems.push({
          file: d.file,
          line: d.line,
          column: d.column,
          ...(d.endLine ? { endLine: d.endLine } : {}),
          ...(d.endColumn && d.endColumn < WHOLE_LINE_END_COLUMN ? { endColumn: d.endColumn } : {}),
          severity: d.severity,
          rule: `${d.source}${d.code ? `/${d.code}` : ''}`,
          message: d.message,
        });
      }
    }
  }
  return toSarif(
    {
      name: 'codex-context-forge',
      informationUri: 'https://www.npmjs.com/package/codex-context-forge',
      ...(options.version ? { version: options.version } : {}),
      rules: [],
    },
    problems,
    options.projectRoot ? { projectRoot: options.projectRoot } : {},
  );
}
