/**
 * Strict JSON with a positioned error. Values come from `JSON.parse` (which defines `__proto__` as an own
 * property instead of calling the prototype setter); jsonc-parser only locates the first syntax error.
 */
import { type ParseError, parse as parseJsonc, printParseErrorCode } from 'jsonc-parser';
import { type Problem, problem } from '../../problems';
import { LineIndex } from '../../text';

export function parseJsonFile(text: string, file: string): { value: unknown; problems: Problem[] } {
  try {
    return { value: JSON.parse(text), problems: [] };
  } catch (err) {
    const errors: ParseError[] = [];
    parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const first = errors[0];
    if (first) {
      const { line, column } = new LineIndex(text).positionAt(first.offset);
      return {
        value: undefined,
        problems: [problem(file, line, column, 'json-syntax', `invalid JSON: ${describeJsonError(first)}`)],
      };
    }
    return {
      value: undefined,
      problems: [problem(file, 1, 1, 'json-syntax', `invalid JSON: ${(err as Error).message}`)],
    };
  }
}

export function describeJsonError(error: ParseError): string {
  const code = printParseErrorCode(error.error);
  // `PropertyNameExpected` → `property name expected`
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own string-valued entries of an object (anything else is ignored). */
export function stringEntries(value: unknown): Array<[string, string]> {
  if (!isPlainObject(value)) return [];
  return Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string');
}

/** Own keys of an object, or none. */
export function keysOf(value: unknown): string[] {
  return isPlainObject(value) ? Object.keys(value) : [];
}
