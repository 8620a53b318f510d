/**
 * Recursive-descent parser of the condition language. Precedence, lowest first:
 *
 *   `||`  ·  `&&`  ·  `=== !== == !=`  ·  `in`  ·  unary `!`  ·  member access `a.b` / `a['b']` / `a[0]`
 *
 * Comparisons do not chain (`a === b === c` is an error: say what you mean with `&&` or parentheses).
 * Nesting is capped at {@link MAX_EXPRESSION_DEPTH} levels, so `((((…` or `!!!!…` a hundred thousand deep
 * is a positioned error, never a stack overflow.
 */
import {
  type EqualityOperator,
  type Expr,
  type ExprError,
  type ExprResult,
  exprError,
  type LiteralNode,
  type MemberNode,
} from './ast';
import { type Punctuator, type Token, tokenize } from './tokenizer';

export const MAX_EXPRESSION_DEPTH = 64;

class ParseFailure {
  constructor(readonly error: ExprError) {}
}

const EQUALITY: ReadonlySet<string> = new Set(['===', '!==', '==', '!=']);

class Parser {
  private pos = 0;
  private readonly depths = new WeakMap<Expr, number>();
  private nesting = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly text: string,
  ) {}

  parse(): Expr {
    if (this.peek().kind === 'eof')
      throw this.fail(this.peek(), "empty expression: write a condition such as techStack.database === 'postgresql'");
    const expr = this.parseOr();
    const rest = this.peek();
    if (rest.kind !== 'eof')
      throw this.fail(rest, `unexpected ${describe(rest, this.text)} after the end of the expression`);
    return expr;
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.isPunct('||')) {
      this.next();
      const right = this.parseAnd();
      left = this.node(
        { type: 'logical', operator: '||', left, right, start: left.start, end: right.end },
        left,
        right,
      );
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseEquality();
    while (this.isPunct('&&')) {
      this.next();
      const right = this.parseEquality();
      left = this.node(
        { type: 'logical', operator: '&&', left, right, start: left.start, end: right.end },
        left,
        right,
      );
    }
    return left;
  }

  private parseEquality(): Expr {
    const left = this.parseRelational();
    const op = this.peek();
    if (op.kind !== 'punct' || !EQUALITY.has(op.punct)) return left;
    this.next();
    const right = this.parseRelational();
    const after = this.peek();
    if (after.kind === 'punct' && EQUALITY.has(after.punct)) {
      throw this.fail(after, `comparisons do not chain: combine them with && or use parentheses`);
    }
    const operator = op.punct as EqualityOperator;
    return this.node({ type: 'binary', operator, left, right, start: left.start, end: right.end }, left, right);
  }

  private parseRelational(): Expr {
    const left = this.parseUnary();
    if (!this.isKeyword('in')) return left;
    this.next();
    const right = this.parseUnary();
    if (this.isKeyword('in')) throw this.fail(this.peek(), '`in` does not chain: use parentheses');
    return this.node({ type: 'binary', operator: 'in', left, right, start: left.start, end: right.end }, left, right);
  }

  private parseUnary(): Expr {
    const tok = this.peek();
    if (tok.kind === 'punct' && tok.punct === '!') {
      this.next();
      const argument = this.nested(tok, () => this.parseUnary());
      return this.node({ type: 'unary', operator: '!', argument, start: tok.start, end: argument.end }, argument);
    }
    return this.parsePostfix();
  }

  private parsePostfix(): Expr {
    let object = this.parsePrimary();
    for (;;) {
      if (this.isPunct('.')) {
        this.next();
        const name = this.peek();
        if (name.kind !== 'identifier' && name.kind !== 'keyword') {
          throw this.fail(name, `expected a property name after ".", found ${describe(name, this.text)}`);
        }
        this.next();
        const property = name.kind === 'identifier' ? name.name : name.keyword;
        const member: MemberNode = {
          type: 'member',
          object,
          property,
          computed: false,
          propertyStart: name.start,
          start: object.start,
          end: name.end,
        };
        object = this.node(member, object);
        continue;
      }
      if (this.isPunct('[')) {
        const open = this.next();
        const key = this.peek();
        if (key.kind !== 'string' && key.kind !== 'number') {
          throw this.fail(key, `expected a quoted name or an index inside [ ], found ${describe(key, this.text)}`);
        }
        if (key.kind === 'number' && (!Number.isInteger(key.value) || key.value < 0)) {
          throw this.fail(key, 'an index must be a whole number');
        }
        this.next();
        const close = this.peek();
        if (!this.isPunct(']')) throw this.fail(close, `expected "]" to close the "[" at column ${open.start + 1}`);
        this.next();
        const member: MemberNode = {
          type: 'member',
          object,
          property: key.value,
          computed: true,
          propertyStart: key.start,
          start: object.start,
          end: close.end,
        };
        object = this.node(member, object);
        continue;
      }
      return object;
    }
  }

  private parsePrimary(): Expr {
    const tok = this.next();
    switch (tok.kind) {
      case 'string':
        return this.literal(tok.value, tok);
      case 'number':
        return this.literal(tok.value, tok);
      case 'identifier':
        return { type: 'identifier', name: tok.name, start: tok.start, end: tok.end };
      case 'keyword':
        if (tok.keyword === 'true') return this.literal(true, tok);
        if (tok.keyword === 'false') return this.literal(false, tok);
        if (tok.keyword === 'null') return this.literal(null, tok);
        throw this.fail(tok, 'expected a value before `in`');
      case 'punct':
        if (tok.punct === '(') {
          const inner = this.nested(tok, () => this.parseOr());
          const close = this.peek();
          if (!this.isPunct(')')) {
            throw this.fail(
              close,
              `expected ")" to close the "(" at column ${tok.start + 1}, found ${describe(close, this.text)}`,
            );
          }
          this.next();
          return inner;
        }
        throw this.fail(
          tok,
          `unexpected ${describe(tok, this.text)}: expected a name, a string, a number, true, false or null`,
        );
      case 'eof':
        throw this.fail(tok, 'unexpected end of the expression: a value is missing');
    }
  }

  private literal(value: LiteralNode['value'], tok: Token): LiteralNode {
    return { type: 'literal', value, start: tok.start, end: tok.end };
  }

  /** Runs `inner` one nesting level deeper (parentheses, `!`), refusing to go past the cap. */
  private nested<T>(at: Token, inner: () => T): T {
    if (++this.nesting > MAX_EXPRESSION_DEPTH) {
      throw new ParseFailure(
        exprError('too-deep', `expression is nested more than ${MAX_EXPRESSION_DEPTH} levels deep`, at.start, at.end),
      );
    }
    try {
      return inner();
    } finally {
      this.nesting--;
    }
  }

  /** Records the depth of a new node; long `a && b && …` or `a.b.c…` chains are capped like nesting. */
  private node<T extends Expr>(node: T, ...children: Expr[]): T {
    let depth = 1;
    for (const child of children) depth = Math.max(depth, (this.depths.get(child) ?? 1) + 1);
    if (depth > MAX_EXPRESSION_DEPTH) {
      throw new ParseFailure(
        exprError(
          'too-deep',
          `expression is too complex (more than ${MAX_EXPRESSION_DEPTH} levels of operators)`,
          node.start,
          node.end,
        ),
      );
    }
    this.depths.set(node, depth);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private next(): Token {
    const tok = this.tokens[this.pos]!;
    if (tok.kind !== 'eof') this.pos++;
    return tok;
  }

  private isPunct(p: Punctuator): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.punct === p;
  }

  private isKeyword(k: string): boolean {
    const t = this.peek();
    return t.kind === 'keyword' && t.keyword === k;
  }

  private fail(tok: Token, message: string): ParseFailure {
    return new ParseFailure(exprError('syntax', message, tok.start, Math.max(tok.end, tok.start + 1)));
  }
}

function describe(tok: Token, text: string): string {
  if (tok.kind === 'eof') return 'the end of the expression';
  return `"${text.slice(tok.start, tok.end)}"`;
}

/** Parses an expression; never throws. */
export function parseExpression(text: string): ExprResult<Expr> {
  const tokens = tokenize(text);
  if (!tokens.ok) return tokens;
  try {
    return { ok: true, value: new Parser(tokens.value, text).parse() };
  } catch (e) {
    if (e instanceof ParseFailure) return { ok: false, error: e.error };
    throw e;
  }
}
