/** The engine's view of the problem matchers: one session per command, picked by the command text. */
import { classifyFailure } from '../gates/classify-failure';
import { failingTestNames } from '../gates/failing-tests';
import { createMatcherSession } from '../gates/matcher-session';
import { pickMatchers } from '../gates/pick-matchers';
import type { GateToolkit } from './engine';

export interface GateToolkitOptions {
  /** Absolute project root: diagnostics' files are made relative to it. */
  root: string;
  /** package.json scripts, so `npm test` is read with the matchers of what it runs. */
  scripts?: Record<string, string>;
  /** Existence test for matchers whose file locations are auto-detected. */
  exists?: (absolutePath: string) => boolean;
}

export function createGateToolkit(options: GateToolkitOptions): GateToolkit {
  return {
    startSession(command) {
      const session = createMatcherSession(pickMatchers(command, options.scripts ? { scripts: options.scripts } : {}), {
        root: options.root,
        ...(options.exists ? { exists: options.exists } : {}),
      });
      return {
        push: (line) => session.push(line),
        end: () => {
          const result = session.end();
          return { diagnostics: result.diagnostics, failingTests: failingTestNames(result) };
        },
      };
    },
    classify: (input) => classifyFailure(input),
  };
}
