/**
 * The syntax tree and result types of the condition language used by PRP `## IF` blocks and workflow `if:` steps.
 * Offsets (`start`, `end`) are 0-based UTF-16 indexes into the expression text; errors carry 1-based columns.
 */

export type Literal = string | number | boolean | null;

/** A value an expression can produce or read from the facts. */
export type Value = Literal | readonly Value[] | { readonly [key: string]: Value };

interface Span {
  /** 0-based offset of the first character. */
  start: number;
  /** 0-based offset just past the last character. */
  end: number;
}

export interface LiteralNode extends Span {
  type: 'literal';
  value: Literal;
}

export interface IdentifierNode extends Span {
  type: 'identifier';
  name: string;
}

export interface MemberNode extends Span {
  type: 'member';
  object: Expr;
  /** `a.b` and `a['b']` give `'b'`; `a[0]` gives `0`. */
  property: string | number;
  computed: boolean;
  /** Offset of the property name (or of the bracketed literal). */
  propertyStart: number;
}

export interface UnaryNode extends Span {
  type: 'unary';
  operator: '!';
  argument: Expr;
}

export type EqualityOperator = '===' | '!==' | '==' | '!=';

export interface BinaryNode extends Span {
  type: 'binary';
  operator: EqualityOperator | 'in';
  left: Expr;
  right: Expr;
}

export interface LogicalNode extends Span {
  type: 'logical';
  operator: '&&' | '||';
  left: Expr;
  right: Expr;
}

export type Expr = LiteralNode | IdentifierNode | MemberNode | UnaryNode | BinaryNode | LogicalNode;

export type ExprErrorKind = 'syntax' | 'unknown-identifier' | 'type' | 'too-deep' | 'too-long';

export interface ExprError {
  kind: ExprErrorKind;
  message: string;
  /** 1-based column of the offending character inside the expression text. */
  column: number;
  /** 1-based column just past the offending text (at least `column + 1`). */
  endColumn: number;
}

export type ExprResult<T> = { ok: true; value: T } | { ok: false; error: ExprError };

export function exprError(kind: ExprErrorKind, message: string, start: number, end = start + 1): ExprError {
  return { kind, message, column: start + 1, endColumn: Math.max(end, start + 1) + 1 };
}

/** Names that never resolve, whatever the facts hold: no path to an object's prototype or constructor. */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor']);

/** The dotted source-like name of a path expression (`techStack.database`, `a['b'][0]`), for messages. */
export function pathName(node: Expr): string | undefined {
  if (node.type === 'identifier') return node.name;
  if (node.type !== 'member') return undefined;
  const base = pathName(node.object);
  if (base === undefined) return undefined;
  if (typeof node.property === 'number') return `${base}[${node.property}]`;
  return /^[A-Za-z_$][\w$]*$/.test(node.property)
    ? `${base}.${node.property}`
    : `${base}[${JSON.stringify(node.property)}]`;
}
