/**
 * Loads the captured matcher outputs of test/fixtures/matchers/<tool>/<case>.{cmd,txt,expected.json} and runs
 * them through the matchers `pickMatchers` chooses for the recorded command.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '../../src/core/gates/diagnostic';
import { type FailedTest, type MatchResult, matchOutput } from '../../src/core/gates/matcher-session';
import { pickMatchers } from '../../src/core/gates/pick-matchers';

export const GOLDEN_ROOT = path.resolve(__dirname, '../fixtures/matchers');

export interface GoldenCase {
  tool: string;
  name: string;
  /** `<tool>/<case>` */
  id: string;
  command: string;
  cwd: string;
  project: string;
  exit: number;
  captured: string;
  toolVersion: string;
  output: string;
  expectedPath: string;
}

export interface GoldenExpectation {
  diagnostics: Diagnostic[];
  failedTests: FailedTest[];
}

export function loadGoldenCases(): GoldenCase[] {
  const cases: GoldenCase[] = [];
  for (const tool of readdirSync(GOLDEN_ROOT).sort()) {
    const dir = path.join(GOLDEN_ROOT, tool);
    if (!statSync(dir).isDirectory()) continue;
    for (const file of readdirSync(dir).sort()) {
      if (!file.endsWith('.cmd')) continue;
      const name = file.slice(0, -4);
      const header: Record<string, string> = {};
      let command = '';
      for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
        const h = /^# (\w+): (.*)$/.exec(line);
        if (h) header[h[1]!] = h[2]!;
        else if (line.trim()) command = line.trim();
      }
      cases.push({
        tool,
        name,
        id: `${tool}/${name}`,
        command,
        cwd: header.cwd ?? '',
        project: header.project ?? '',
        exit: Number(header.exit),
        captured: header.captured ?? '',
        toolVersion: header.tool ?? '',
        output: readFileSync(path.join(dir, `${name}.txt`), 'utf8'),
        expectedPath: path.join(dir, `${name}.expected.json`),
      });
    }
  }
  return cases;
}

/** Project-relative paths of every file of a fixture project. */
export function projectFiles(project: string): string[] {
  const root = path.join(GOLDEN_ROOT, project);
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(path.relative(root, full).split(path.sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

export function runGolden(c: GoldenCase): MatchResult {
  return matchOutput(c.output, pickMatchers(c.command), { root: c.cwd, knownFiles: projectFiles(c.project) });
}

export function readExpectation(c: GoldenCase): GoldenExpectation {
  return JSON.parse(readFileSync(c.expectedPath, 'utf8')) as GoldenExpectation;
}
