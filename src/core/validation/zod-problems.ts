/**
 * Turns zod validation issues into positioned `Problem`s with messages that say what is wrong and
 * what to do, located through a `PositionLocator` (YAML or JSON source).
 */
import { z } from 'zod';
import { type Problem, problem, type Severity } from '../problems';
import { formatValuePath, type ValuePath } from '../source-position';
import type { PositionLocator } from '../yaml/safe-yaml';

const ALLOWED_MARK = 'allowed keys: ';

/**
 * A strict object whose unknown-key errors list the allowed keys (and suggest the nearest one).
 * Use it for every object of a user-facing model.
 */
export function closedObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const allowed = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? `${ALLOWED_MARK}${allowed.join(', ')}` : undefined),
  });
}

export interface ZodProblemOptions {
  /** Path of the validated value inside the document (issue paths are relative to it). */
  basePath?: ValuePath;
  /** Rule id of the problems, e.g. `workflow-schema`. */
  rule: string;
  /** Severity of unknown-key problems (errors by default). */
  unknownKeySeverity?: Severity;
}

/** One problem per issue (one per key for unknown keys), positioned at the offending node. */
export function zodProblems(
  issues: readonly z.core.$ZodIssue[],
  locator: PositionLocator,
  options: ZodProblemOptions,
): Problem[] {
  const out: Problem[] = [];
  const base = options.basePath ?? [];
  for (const issue of issues) {
    const rel = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
    const path = [...base, ...rel];
    if (issue.code === 'unrecognized_keys') {
      const allowed = issue.message.startsWith(ALLOWED_MARK)
        ? issue.message.slice(ALLOWED_MARK.length).split(', ').filter(Boolean)
        : [];
      for (const key of issue.keys) {
        const pos = locator.locate([...path, key], { key: true });
        const near = nearest(key, allowed);
        const where = path.length ? ` in ${formatValuePath(path)}` : '';
        const hint = near ? `did you mean \`${near}\`? ` : '';
        const list = allowed.length ? `allowed keys: ${allowed.join(', ')}` : 'remove it';
        out.push(
          problem(
            locator.file,
            pos.line,
            pos.column,
            options.rule,
            `unknown key \`${key}\`${where}; ${hint}${list}`,
            options.unknownKeySeverity ?? 'error',
          ),
        );
      }
      continue;
    }
    const pos = locator.locate(path);
    out.push({
      ...problem(locator.file, pos.line, pos.column, options.rule, describeIssue(issue, path)),
      endLine: pos.endLine,
      endColumn: pos.endColumn,
    });
  }
  // A value failing two checks with the same message (e.g. a pattern and a refinement) is reported once.
  const seen = new Set<string>();
  return out.filter((p) => {
    const key = `${p.line}:${p.column}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The message for one issue: the schema's own message when it has one, else a plain-words rewrite. */
export function describeIssue(issue: z.core.$ZodIssue, path: ValuePath): string {
  const where = formatValuePath(path);
  if (!isDefaultMessage(issue.message)) return `${where}: ${issue.message}`;
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return `${where} is required; add it`;
      return `${where} must be ${article(issue.expected)}, not ${describeValue(issue.input)}`;
    }
    case 'invalid_value':
      return `${where} must be ${issue.values.length === 1 ? '' : 'one of '}${issue.values
        .map((v) => JSON.stringify(v))
        .join(', ')}${issue.input === undefined ? '' : `, not ${describeValue(issue.input)}`}`;
    case 'too_small':
      return `${where} ${boundText('at least', issue.origin, issue.minimum, issue.inclusive)}`;
    case 'too_big':
      return `${where} ${boundText('at most', issue.origin, issue.maximum, issue.inclusive)}`;
    case 'invalid_format':
      return `${where} has an invalid format (${issue.format})`;
    case 'not_multiple_of':
      return `${where} must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_union':
      return `${where} has an unexpected value ${describeValue(issue.input)}`;
    case 'invalid_key':
      return `${where} has an invalid key`;
    default:
      return `${where}: ${issue.message}`;
  }
}

function isDefaultMessage(message: string): boolean {
  return /^(Invalid|Too (big|small)|Unrecognized key|Expected|Required)/.test(message);
}

function boundText(kind: 'at least' | 'at most', origin: string, bound: number | bigint, inclusive?: boolean): string {
  const n = Number(bound);
  const strict = inclusive === false;
  switch (origin) {
    case 'array':
    case 'set':
      if (kind === 'at least' && n === 1 && !strict) return 'must not be empty';
      return `must have ${kind} ${strict ? (kind === 'at least' ? n + 1 : n - 1) : n} item(s)`;
    case 'string':
      if (kind === 'at least' && n === 1 && !strict) return 'must not be empty';
      return `must be ${kind} ${n} character(s) long`;
    default:
      if (strict) return `must be ${kind === 'at least' ? 'greater' : 'less'} than ${n}`;
      return `must be ${kind} ${n}`;
  }
}

function article(expected: string): string {
  switch (expected) {
    case 'object':
      return 'a mapping (key: value)';
    case 'array':
      return 'a list';
    case 'int':
      return 'a whole number';
    case 'integer':
      return 'a whole number';
    case 'undefined':
      return 'absent';
    default:
      return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
  }
}

/** A short human description of a value, for "must be X, not <this>". */
export function describeValue(value: unknown): string {
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string': {
      const s = value.length > 40 ? `${value.slice(0, 37)}...` : value;
      return `the text ${JSON.stringify(s)}`;
    }
    case 'number':
      return Number.isInteger(value) ? `the number ${value}` : `the number ${value}`;
    case 'boolean':
      return `${value}`;
    case 'object':
      return 'a mapping';
    default:
      return typeof value;
  }
}

/** The allowed key closest to `key` (edit distance ≤ 2 or a case-insensitive match), for "did you mean". */
export function nearest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const a of allowed) {
    if (a.toLowerCase() === key.toLowerCase()) return a;
    const d = editDistance(key.toLowerCase(), a.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = a;
    }
  }
  return bestD <= Math.min(2, Math.floor(key.length / 2)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}
