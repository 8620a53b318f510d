/** What the template markers can name: the detected project, its validation commands, the tool itself. */

import type { DetectedProject } from '../project/tech-stack';
import type { ValidationCommands } from '../project/validation-commands';
import type { RenderContext } from './render';

export interface ToolInfo {
  name: string;
  version: string;
}

/** `{ postgresql: true, redis: true }` — so templates can test `{{ccf.if has.database.postgresql}}`. */
function membership(values: readonly string[]): RenderContext {
  const out: Record<string, boolean> = Object.create(null);
  for (const v of values) if (v && v !== 'none') out[markerKey(v)] = true;
  return out;
}

/** `go test` → `go-test`, `node:test` → `node-test`: values usable in a marker path. */
export function markerKey(value: string): string {
  return value.replace(/[^\w-]+/g, '-').replace(/^-+|-+$/g, '');
}

export function buildRenderContext(
  project: DetectedProject,
  commands: ValidationCommands,
  tool: ToolInfo,
): RenderContext {
  const stack = project.techStack;
  const gates = [...commands.level1, ...commands.level2, ...commands.level3, ...commands.level4];
  return {
    project: {
      name: project.name,
      description: project.description,
      ecosystems: project.ecosystems,
      /** The databases besides the primary one. */
      otherDatabases: stack.databases.filter((d) => d !== stack.database),
    },
    techStack: {
      languages: stack.languages,
      frameworks: stack.frameworks,
      database: stack.database,
      databases: stack.databases,
      testRunner: stack.testRunner,
      linters: stack.linters,
      packageManager: stack.packageManager,
    },
    has: {
      language: membership(stack.languages),
      framework: membership(stack.frameworks),
      database: membership(stack.databases),
      linter: membership(stack.linters),
      testRunner: membership(project.testRunners),
      packageManager: membership(project.packageManagers),
      ecosystem: membership(project.ecosystems),
    },
    validation: {
      level1: commands.level1,
      level2: commands.level2,
      level3: commands.level3,
      level4: commands.level4,
      coverage: commands.coverage,
      security: commands.security,
      autofix: commands.autofix,
      all: gates,
    },
    tool: { name: tool.name, version: tool.version },
  };
}
