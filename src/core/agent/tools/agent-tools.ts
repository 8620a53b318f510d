/** The agent's tool set, in the order the model sees it (the order is part of the cached prompt prefix). */
import { editFileTool } from './edit-file';
import { globTool } from './glob';
import { grepTool } from './grep';
import { listDirTool } from './list-dir';
import { readFileTool } from './read-file';
import { runCommandTool } from './run-command';
import type { AgentTool } from './tool';
import { writeFileTool } from './write-file';

export const AGENT_TOOLS: readonly AgentTool<unknown>[] = Object.freeze([
  readFileTool,
  listDirTool,
  globTool,
  grepTool,
  writeFileTool,
  editFileTool,
  runCommandTool,
]);
