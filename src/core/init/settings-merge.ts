/**
 * Merging the `orchestration` block into `.claude/settings.local.json` without disturbing anything else:
 * jsonc-parser edits the text in place, so other keys, their order, comments and indentation stay as the
 * user (or Claude Code) wrote them. An invalid file is a positioned error — never replaced.
 */
import {
  applyEdits,
  type FormattingOptions,
  findNodeAtLocation,
  getNodeValue,
  modify,
  type ParseError,
  parseTree,
} from 'jsonc-parser';
import { type Problem, problem } from '../problems';
import { describeJsonError } from '../project/detect/parse-json';
import { LineIndex } from '../text';

export const ORCHESTRATION_KEY = 'orchestration';

export type SettingsInspection =
  | { kind: 'empty' }
  | { kind: 'invalid'; problems: Problem[] }
  | { kind: 'absent' }
  | { kind: 'present'; value: unknown };

/** What an existing settings file holds under `orchestration` (or why it cannot be merged into). */
export function inspectSettings(text: string, file: string): SettingsInspection {
  if (text.trim() === '') return { kind: 'empty' };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: false, allowTrailingComma: true });
  const index = new LineIndex(text);
  if (errors.length > 0 || root === undefined) {
    const first = errors[0];
    const { line, column } = index.positionAt(first?.offset ?? 0);
    const what = first ? describeJsonError(first) : 'no JSON value';
    return {
      kind: 'invalid',
      problems: [
        problem(file, line, column, 'settings-syntax', `invalid JSON (${what}); fix the file, then run init again`),
      ],
    };
  }
  if (root.type !== 'object') {
    const { line, column } = index.positionAt(root.offset);
    return {
      kind: 'invalid',
      problems: [
        problem(file, line, column, 'settings-shape', `the settings must be a JSON object, not ${article(root.type)}`),
      ],
    };
  }
  const node = findNodeAtLocation(root, [ORCHESTRATION_KEY]);
  return node === undefined ? { kind: 'absent' } : { kind: 'present', value: getNodeValue(node) };
}

/** `text` with `orchestration` set to `value` (added as the last key, or its value replaced). */
export function setOrchestration(text: string, value: unknown): string {
  const edits = modify(text, [ORCHESTRATION_KEY], value, {
    formattingOptions: formattingOf(text),
    getInsertionIndex: (properties) => properties.length,
  });
  return applyEdits(text, edits);
}

/** The indentation and line ending a file already uses (2 spaces and `\n` when it shows none). */
export function formattingOf(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = /^([ \t]+)\S/m.exec(text)?.[1];
  if (indent?.startsWith('\t')) return { insertSpaces: false, tabSize: 1, eol };
  return { insertSpaces: true, tabSize: indent ? indent.length : 2, eol };
}

function article(type: string): string {
  return type === 'array' ? 'an array' : `a ${type}`;
}
