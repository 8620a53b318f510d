/**
 * The one place detection parses YAML (compose files). Aliases are refused (compose files rarely need them
 * and alias bombs are the classic YAML attack), duplicate keys are errors, values are plain data.
 * Kept to this single function so it can be swapped for the shared safe-YAML module.
 */
import { parseDocument, visit } from 'yaml';
import { type Problem, problem } from '../../problems';
import { LineIndex } from '../../text';

export function parseYamlWithoutAliases(text: string, file: string): { value: unknown; problems: Problem[] } {
  const doc = parseDocument(text, { uniqueKeys: true, merge: false, prettyErrors: false, strict: true });
  const problems: Problem[] = doc.errors.map((e) => {
    const pos = e.linePos?.[0];
    return problem(file, pos?.line ?? 1, pos?.col ?? 1, 'yaml-syntax', `invalid YAML: ${e.message.split('\n')[0]}`);
  });
  let aliasOffset: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      aliasOffset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  if (aliasOffset !== undefined) {
    const { line, column } = new LineIndex(text).positionAt(aliasOffset);
    problems.push(
      problem(file, line, column, 'yaml-alias', 'YAML aliases (*name) are not accepted; write the value out'),
    );
  }
  if (problems.length > 0) return { value: undefined, problems };
  return { value: doc.toJS({ maxAliasCount: 0 }) as unknown, problems };
}
