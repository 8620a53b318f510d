/** The condition language of PRP `## IF` blocks and workflow `if:` steps: parse, check, evaluate. */
export type { Expr, ExprError, ExprErrorKind, ExprResult, Literal, Value } from './ast';
export { FORBIDDEN_NAMES, pathName } from './ast';
export { checkExpression, evaluate, evaluateCondition, evaluateExpression, isTruthy } from './evaluate';
export { MAX_EXPRESSION_DEPTH, parseExpression } from './parser';
export { MAX_EXPRESSION_LENGTH } from './tokenizer';
