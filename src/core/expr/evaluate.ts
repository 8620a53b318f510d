/**
 * Evaluation of a parsed condition against a scope of facts (e.g. `{ techStack }`). No `eval`, no `Function`:
 * a tree walk over a closed set of operators. Semantics (documented for PRP and workflow authors):
 *
 * - Names resolve to **own** properties only. `__proto__`, `prototype` and `constructor` never resolve, so no
 *   expression can reach an object's prototype. A name the facts do not have is an `unknown-identifier` error.
 * - Lists: `list[0]` is the element or `null` when out of range; `list.length` is the length.
 * - `===` / `!==` compare strings, numbers, booleans and null strictly (`NaN === NaN` is false, as in JS).
 * - `==` / `!=` are loose only between near kinds: a number equals a string holding that number
 *   (`1 == '1'`, `1 == '1.0'`), a boolean equals the string `'true'` / `'false'`, and otherwise they behave like
 *   `===`. Unlike JavaScript, `0 == ''`, `null == 0` and `true == 1` are false.
 * - Comparing a list or an object with any equality operator is a `type` error (use `in`).
 * - `x in list` is list membership by `===`; `'key' in object` tests for an own key. Anything else is a `type` error.
 * - `!`, `&&`, `||` use truthiness: false, null, 0, NaN, '' and the empty list are falsy; everything else is
 *   truthy. `&&` / `||` short-circuit and yield the deciding operand, as in JavaScript.
 */
import {
  type Expr,
  type ExprError,
  type ExprResult,
  exprError,
  FORBIDDEN_NAMES,
  type Literal,
  type MemberNode,
  pathName,
  type Value,
} from './ast';
import { parseExpression } from './parser';

type Resolved = { ok: true; value: Value } | { ok: false; error: ExprError };

export function isTruthy(value: Value): boolean {
  if (value === null || value === false || value === 0 || value === '') return false;
  if (typeof value === 'number' && Number.isNaN(value)) return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** Evaluates with short-circuiting; names in branches not taken are not looked up (see {@link checkExpression}). */
export function evaluateExpression(ast: Expr, scope: object): ExprResult<Value> {
  return evalNode(ast, scope);
}

/**
 * Resolves every name in every branch, without short-circuiting, so a misspelt fact in a branch that is not
 * taken today is still reported. Returns all problems found.
 */
export function checkExpression(ast: Expr, scope: object): ExprError[] {
  const errors: ExprError[] = [];
  const stack: Expr[] = [ast];
  while (stack.length > 0) {
    const node = stack.pop()!;
    switch (node.type) {
      case 'identifier':
      case 'member': {
        const r = resolvePath(node, scope);
        if (r === 'not-a-path') {
          if (node.type === 'member') stack.push(node.object);
        } else if (!r.ok) errors.push(r.error);
        break;
      }
      case 'unary':
        stack.push(node.argument);
        break;
      case 'binary':
      case 'logical':
        stack.push(node.right, node.left);
        break;
      case 'literal':
        break;
    }
  }
  return errors.sort((a, b) => a.column - b.column);
}

/** Parses, checks every name, then evaluates. Never throws. */
export function evaluate(text: string, scope: object): ExprResult<Value> {
  const parsed = parseExpression(text);
  if (!parsed.ok) return parsed;
  const [first] = checkExpression(parsed.value, scope);
  if (first) return { ok: false, error: first };
  return evaluateExpression(parsed.value, scope);
}

/** {@link evaluate}, reduced to its truthiness. */
export function evaluateCondition(text: string, scope: object): ExprResult<boolean> {
  const r = evaluate(text, scope);
  return r.ok ? { ok: true, value: isTruthy(r.value) } : r;
}

function evalNode(node: Expr, scope: object): ExprResult<Value> {
  switch (node.type) {
    case 'literal':
      return { ok: true, value: node.value };
    case 'identifier':
      return readRoot(node.name, scope, node.start, node.end);
    case 'member': {
      const base = evalNode(node.object, scope);
      if (!base.ok) return base;
      return readMember(base.value, node);
    }
    case 'unary': {
      const arg = evalNode(node.argument, scope);
      return arg.ok ? { ok: true, value: !isTruthy(arg.value) } : arg;
    }
    case 'logical': {
      const left = evalNode(node.left, scope);
      if (!left.ok) return left;
      const decided = node.operator === '&&' ? !isTruthy(left.value) : isTruthy(left.value);
      return decided ? left : evalNode(node.right, scope);
    }
    case 'binary': {
      const left = evalNode(node.left, scope);
      if (!left.ok) return left;
      const right = evalNode(node.right, scope);
      if (!right.ok) return right;
      if (node.operator === 'in') return membership(left.value, right.value, node);
      for (const [side, v] of [
        [node.left, left.value],
        [node.right, right.value],
      ] as const) {
        if (!isLiteral(v)) {
          return typeError(
            `${describeOperand(side)} is ${kindOf(v)}; ${node.operator} compares strings, numbers, booleans and null` +
              (Array.isArray(v) ? ` (test membership with: 'value' in ${pathName(side) ?? 'list'})` : ''),
            side,
          );
        }
      }
      const a = left.value as Literal;
      const b = right.value as Literal;
      switch (node.operator) {
        case '===':
          return { ok: true, value: a === b };
        case '!==':
          return { ok: true, value: a !== b };
        case '==':
          return { ok: true, value: looseEquals(a, b) };
        case '!=':
          return { ok: true, value: !looseEquals(a, b) };
      }
    }
  }
}

function looseEquals(a: Literal, b: Literal): boolean {
  if (typeof a === typeof b || a === null || b === null) return a === b;
  if (typeof a === 'number' && typeof b === 'string') return numericString(b) === a;
  if (typeof a === 'string' && typeof b === 'number') return numericString(a) === b;
  if (typeof a === 'boolean' && typeof b === 'string') return String(a) === b;
  if (typeof a === 'string' && typeof b === 'boolean') return a === String(b);
  return false;
}

/** The number a string spells in decimal (`'1'`, `' 2.5 '`, `'-3'`), or undefined. */
function numericString(s: string): number | undefined {
  const t = s.trim();
  return /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(t) ? Number(t) : undefined;
}

function membership(needle: Value, haystack: Value, node: Expr & { type: 'binary' }): ExprResult<Value> {
  if (!isLiteral(needle)) {
    return typeError(
      `the left side of \`in\` must be a string, number, boolean or null, not ${kindOf(needle)}`,
      node.left,
    );
  }
  if (Array.isArray(haystack)) return { ok: true, value: haystack.some((v) => v === needle) };
  if (isRecord(haystack)) {
    if (typeof needle !== 'string') {
      return typeError(`\`in\` on an object tests for a key, which must be a string, not ${kindOf(needle)}`, node.left);
    }
    return { ok: true, value: !FORBIDDEN_NAMES.has(needle) && Object.hasOwn(haystack, needle) };
  }
  return typeError(
    `the right side of \`in\` must be a list or an object; ${describeOperand(node.right)} is ${kindOf(haystack)}`,
    node.right,
  );
}

/** A chain of names (`a.b[0].c`), resolved statically; `not-a-path` when the chain starts from a non-name. */
function resolvePath(node: Expr, scope: object): Resolved | 'not-a-path' {
  if (node.type === 'identifier') return readRoot(node.name, scope, node.start, node.end);
  if (node.type !== 'member') return 'not-a-path';
  const base = resolvePath(node.object, scope);
  if (base === 'not-a-path' || !base.ok) return base;
  return readMember(base.value, node);
}

function readRoot(name: string, scope: object, start: number, end: number): Resolved {
  if (!FORBIDDEN_NAMES.has(name) && Object.hasOwn(scope, name)) {
    return toValue((scope as Record<string, unknown>)[name], name, start, end);
  }
  const known = knownKeys(scope);
  return {
    ok: false,
    error: exprError(
      'unknown-identifier',
      `unknown name "${name}"${known.length ? `; known names: ${known.join(', ')}` : ''}`,
      start,
      end,
    ),
  };
}

function readMember(base: Value, node: MemberNode): Resolved {
  const name = pathName(node) ?? String(node.property);
  if (Array.isArray(base)) {
    if (typeof node.property === 'number') {
      return node.property < base.length
        ? toValue(base[node.property], name, node.propertyStart, node.end)
        : { ok: true, value: null };
    }
    if (node.property === 'length') return { ok: true, value: base.length };
    return unknown(`unknown name "${name}": a list has only indexes ([0], [1], …) and length`, node);
  }
  if (isRecord(base)) {
    const key = String(node.property);
    if (!FORBIDDEN_NAMES.has(key) && Object.hasOwn(base, key)) {
      return toValue((base as Record<string, unknown>)[key], name, node.propertyStart, node.end);
    }
    const known = knownKeys(base);
    return unknown(`unknown name "${name}"${known.length ? `; known: ${known.join(', ')}` : ''}`, node);
  }
  const parent = pathName(node.object) ?? 'the value';
  return {
    ok: false,
    error: exprError(
      'type',
      `cannot read "${String(node.property)}" of ${parent}, which is ${kindOf(base)}`,
      node.propertyStart,
      node.end,
    ),
  };
}

function toValue(raw: unknown, name: string, start: number, end: number): Resolved {
  if (raw === undefined) {
    return { ok: false, error: exprError('unknown-identifier', `unknown name "${name}"`, start, end) };
  }
  if (raw === null || ['string', 'number', 'boolean', 'object'].includes(typeof raw)) {
    return { ok: true, value: raw as Value };
  }
  return { ok: false, error: exprError('type', `"${name}" is not a value a condition can use`, start, end) };
}

function unknown(message: string, node: MemberNode): Resolved {
  return { ok: false, error: exprError('unknown-identifier', message, node.propertyStart, node.end) };
}

function typeError(message: string, at: Expr): ExprResult<Value> {
  return { ok: false, error: exprError('type', message, at.start, at.end) };
}

function knownKeys(obj: object): string[] {
  const keys = Object.keys(obj).filter((k) => !FORBIDDEN_NAMES.has(k));
  return keys.length > 12 ? [...keys.slice(0, 12), '…'] : keys;
}

function isLiteral(v: Value): v is Literal {
  return v === null || typeof v !== 'object';
}

function isRecord(v: Value): v is { readonly [key: string]: Value } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function kindOf(v: Value): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

function describeOperand(node: Expr): string {
  return pathName(node) ?? 'the value';
}
