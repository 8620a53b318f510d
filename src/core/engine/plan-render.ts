/** A plan as indented text, for `--dry-run` (and logs): what would run, in order, and nothing runs. */
import type { PlanStep } from './plan';

export function renderPlan(steps: readonly PlanStep[], indent = ''): string[] {
  const lines: string[] = [];
  steps.forEach((step, i) => {
    const n = `${indent}${i + 1}.`;
    const extra = [
      step.timeoutMs ? `timeout ${Math.round(step.timeoutMs / 1000)} s` : '',
      step.retry && step.retry.maxAttempts > 1 ? `retry ×${step.retry.maxAttempts} ${step.retry.backoff}` : '',
      step.continueOnError ? 'continue on error' : '',
    ]
      .filter(Boolean)
      .join(', ');
    const suffix = extra ? `  (${extra})` : '';
    switch (step.kind) {
      case 'shell':
        {
          const script = step.script.trimEnd();
          lines.push(`${n} run: ${script.split('\n')[0]}${script.includes('\n') ? ' …' : ''}${suffix}`);
        }
        for (const [k, v] of Object.entries(step.env)) lines.push(`${indent}     env ${k}=${JSON.stringify(v)}`);
        break;
      case 'agent':
        lines.push(`${n} agent: /${step.command}${step.argsText ? ` ${step.argsText}` : ''}${suffix}`);
        break;
      case 'implement':
        lines.push(
          `${n} implement: /${step.command} ${step.argsText} — up to ${step.maxRounds} round(s), gates from ${step.prp}${suffix}`,
        );
        for (const level of step.levels ?? []) lines.push(...renderPlan([level], `${indent}    `));
        break;
      case 'level':
        lines.push(`${n} ${step.name}${step.mandatory ? '' : ' (recommended)'}${suffix}`);
        for (const c of step.commands) lines.push(`${indent}     $ ${c.command}`);
        break;
      case 'parallel':
        lines.push(`${n} parallel (${step.children.length} steps)${suffix}`);
        lines.push(...renderPlan(step.children, `${indent}    `));
        break;
      case 'if':
        lines.push(`${n} if ${step.condition}${suffix}`);
        lines.push(...renderPlan(step.then, `${indent}    `));
        if (step.else.length > 0) {
          lines.push(`${indent}   else`);
          lines.push(...renderPlan(step.else, `${indent}    `));
        }
        break;
    }
  });
  return lines;
}

/** Every project command a plan would run (shell steps and known gates), for approval before it starts. */
export function projectCommandsOf(steps: readonly PlanStep[]): string[] {
  const out: string[] = [];
  const visit = (list: readonly PlanStep[]): void => {
    for (const s of list) {
      if (s.kind === 'shell') out.push(s.script);
      else if (s.kind === 'level') out.push(...s.commands.map((c) => c.command));
      else if (s.kind === 'implement') visit(s.levels ?? []);
      else if (s.kind === 'parallel') visit(s.children);
      else if (s.kind === 'if') visit([...s.then, ...s.else]);
    }
  };
  visit(steps);
  return [...new Set(out)];
}
