/**
 * A stand-in PRP linter for agent tests until `src/core/lint` lands on this branch: unfilled template
 * placeholders (`[TODO: …]`, `[Bracketed text]`, not checkboxes or links) and a Validation Loop without commands
 * are errors, positioned like the real lint's findings. Replace with the real `lint` when it is merged.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { PrpLinter } from '../../src/core/agent/prp-lint';
import { type Problem, problem } from '../../src/core/problems';

export function prpLinter(root?: string): PrpLinter {
  return async (prp) => {
    const base = root ?? process.cwd();
    const text = readFileSync(path.join(base, prp), 'utf8');
    const problems: Problem[] = [];
    const lines = text.split('\n');
    let commands = 0;
    let inLoop = false;
    let inFence = false;
    lines.forEach((line, i) => {
      if (/^## /.test(line)) inLoop = /^## Validation Loop/.test(line);
      if (/^```/.test(line)) {
        inFence = !inFence;
        return;
      }
      if (inLoop && inFence && line.trim() !== '' && !line.trim().startsWith('#')) commands++;
      for (const m of line.matchAll(/\[(TODO[^\]]*|[A-Z][^\]\n]{2,})\](?!\()/g)) {
        problems.push(problem(prp, i + 1, m.index! + 1, 'prp-placeholder', `unfilled placeholder ${m[0]}`));
      }
    });
    if (commands === 0) problems.push(problem(prp, 1, 1, 'prp-no-gates', 'the Validation Loop has no commands'));
    return problems;
  };
}
