/**
 * SARIF 2.1.0 output for problems: what GitHub code scanning, Azure DevOps and VS Code's SARIF viewer read.
 * Used by `lint --format sarif` and by the engine for gate diagnostics. Columns are UTF-16 code units, as in
 * every Problem, and declared so (`columnKind`).
 */
import type * as Sarif from 'sarif';
import type { Problem, Severity } from '../problems';

export const SARIF_VERSION = '2.1.0';
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/** Paths in results are relative to this base, which `originalUriBaseIds` maps to the project root. */
export const SRCROOT = '%SRCROOT%';

export interface SarifRuleInfo {
  id: string;
  /** PascalCase name. */
  name?: string;
  summary: string;
  help?: string;
  defaultSeverity?: Severity;
  helpUri?: string;
}

export interface SarifTool {
  name: string;
  version?: string;
  informationUri: string;
  rules: readonly SarifRuleInfo[];
}

export interface SarifOptions {
  /** Absolute path of the project root; recorded as the `%SRCROOT%` base when given. */
  projectRoot?: string;
}

export function sarifLevel(severity: Severity): Sarif.Result.level {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

/** A relative `/` path as a URI reference: each segment percent-encoded. */
export function pathToUriReference(relative: string): string {
  return relative
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

function directoryUri(absolute: string): string {
  const withSlash = absolute.endsWith('/') ? absolute : `${absolute}/`;
  const encoded = pathToUriReference(withSlash.replace(/\\/g, '/')).replace(/^(?!\/)/, '/');
  // Keep a Windows drive letter readable: file:///C:/work/.
  return `file://${encoded.replace(/^\/([A-Za-z])%3A/, '/$1:')}`;
}

/** One SARIF log with one run: the tool, its rules, and a result per problem. */
export function toSarif(tool: SarifTool, problems: readonly Problem[], options: SarifOptions = {}): Sarif.Log {
  const rules: SarifRuleInfo[] = [...tool.rules];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  // Results may carry rules the catalogue does not list (e.g. reader problems): describe them minimally.
  for (const p of problems) {
    if (!index.has(p.rule)) {
      index.set(p.rule, rules.length);
      rules.push({ id: p.rule, summary: p.rule });
    }
  }
  const run: Sarif.Run = {
    tool: {
      driver: {
        name: tool.name,
        ...(tool.version ? { version: tool.version, semanticVersion: tool.version } : {}),
        informationUri: tool.informationUri,
        rules: rules.map(
          (r): Sarif.ReportingDescriptor => ({
            id: r.id,
            ...(r.name ? { name: r.name } : {}),
            shortDescription: { text: r.summary },
            ...(r.help ? { fullDescription: { text: r.help }, help: { text: r.help } } : {}),
            ...(r.helpUri ? { helpUri: r.helpUri } : {}),
            defaultConfiguration: { level: sarifLevel(r.defaultSeverity ?? 'error') },
          }),
        ),
      },
    },
    ...(options.projectRoot ? { originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(options.projectRoot) } } } : {}),
    columnKind: 'utf16CodeUnits',
    results: problems.map(
      (p): Sarif.Result => ({
        ruleId: p.rule,
        ruleIndex: index.get(p.rule)!,
        level: sarifLevel(p.severity),
        message: { text: p.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: pathToUriReference(p.file), uriBaseId: SRCROOT },
              region: {
                startLine: p.line,
                startColumn: p.column,
                ...(p.endLine ? { endLine: p.endLine } : {}),
                ...(p.endColumn ? { endColumn: p.endColumn } : {}),
              },
            },
          },
        ],
      }),
    ),
  };
  return { version: SARIF_VERSION, $schema: SARIF_SCHEMA_URI, runs: [run] };
}
