/**
 * Workflow `if:` conditions: the expression language of `src/core/expr` over the project facts plus the
 * run's variables. `$NAME` / `${NAME}` outside string literals read the variable (`vars.NAME`); nothing is
 * ever substituted into the expression text, so a value cannot change its meaning.
 */
import { evaluateCondition } from '../expr';
import type { ProjectFacts } from '../project/facts';

/** Rewrites `$NAME`/`${NAME}` outside quotes to `vars.NAME`; string literals are left exactly as written. */
export function variablesToMembers(expression: string): string {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i]!;
    if (quote) {
      out += c;
      if (c === '\\' && i + 1 < expression.length) out += expression[++i];
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      out += c;
      continue;
    }
    if (c === '$') {
      const m = /^\$(?:\{([A-Z][A-Z0-9_]*)\}|([A-Z][A-Z0-9_]*))/.exec(expression.slice(i));
      if (m) {
        out += `vars.${m[1] ?? m[2]}`;
        i += m[0].length - 1;
        continue;
      }
    }
    out += c;
  }
  return out;
}

export function conditionEvaluator(
  facts: ProjectFacts,
  variables: Readonly<Record<string, string>>,
): (expression: string) => { value: boolean } | { error: string } {
  const scope = { ...facts, vars: { ...variables } };
  return (expression) => {
    const result = evaluateCondition(variablesToMembers(expression), scope);
    return result.ok ? { value: result.value } : { error: `${result.error.message} (column ${result.error.column})` };
  };
}
