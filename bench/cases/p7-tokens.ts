/**
 * P7 tokens: framework overhead of the first `/prp-execute` request and the cached share of input from turn 2,
 * from the fake Messages API's accounting. Needs the agent runtime (run-prp against a provider base URL).
 */
import type { BenchCase } from './context';
import { cliHas } from './context';

export const p7Tokens: BenchCase = async (ctx) => {
  const ready = cliHas(ctx, 'run-prp') && false;
  if (!ready) {
    return [
      {
        id: 'P7',
        title: 'tokens: framework overhead of the first /prp-execute request',
        status: 'pending',
        goal: '≤ 4k tokens',
        note: 'needs the agent runtime on main',
      },
      {
        id: 'P7',
        title: 'tokens: cached share of input from turn 2',
        status: 'pending',
        goal: '≥ 85 %',
        note: 'needs the agent runtime on main',
      },
    ];
  }
  return [];
};
