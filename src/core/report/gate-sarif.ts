/** Gate diagnostics of a run as SARIF 2.1.0 (`validate --format sarif`), one result per diagnostic. */
import type { RunState } from '../run/fold';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export function gateDiagnosticsSarif(state: RunState, version = '0.0.0') {
  const rules = new Map<string, { id: string; shortDescription: { text: string } }>();
  const results = [];
  for (const step of state.steps) {
    for (const ev of step.evidence ?? []) {
      for (const d of ev.diagnostics) {
        const ruleId = `${d.source}${d.code ? `/${d.code}` : ''}`;
        if (!rules.has(ruleId))
          rules.set(ruleId, { id: ruleId, shortDescription: { text: `${d.source} ${d.code ?? 'diagnostic'}` } });
        results.push({
          ruleId,
          level: d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'note',
          message: { text: d.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: d.file },
                region: {
                  startLine: d.line,
                  startColumn: d.column,
                  ...(d.endLine ? { endLine: d.endLine } : {}),
                  ...(d.endColumn && d.endColumn < 2 ** 31 - 1 ? { endColumn: d.endColumn } : {}),
                },
              },
            },
          ],
          properties: { step: step.name, command: ev.command },
        });
      }
    }
  }
  return {
    version: '2.1.0',
    $schema: SARIF_SCHEMA,
    runs: [
      {
        tool: {
          driver: {
            name: 'codex-context-forge',
            informationUri: 'https://github.com/codex-context-forge',
            version,
            rules: [...rules.values()],
          },
        },
        results,
      },
    ],
  };
}
