/**
 * Implementation tasks, in the three shapes PRPs write them:
 *
 * - v3: a YAML-ish block of `Task 1: CREATE src/models/user.ts` followed by `- IMPLEMENT: …` bullets;
 * - v2: `Task 1:` then one or more `MODIFY src/x.py:` / `CREATE src/y.py:` lines, each with bullets;
 * - story: `### CREATE services/user_service.py:` headings, each followed by a bullet list ending in
 *   `- **VALIDATE**: \`command\``.
 *
 * These blocks are read line by line: they are almost never valid YAML, and need not be.
 */
import type { Code, Heading, List, RootContent } from 'mdast';
import type { Field, ImplementationTask, TaskAction, TaskDetail, TaskOperation } from './model';
import { plainText, type Source } from './source';

export const TASK_ACTIONS: readonly TaskAction[] = [
  'CREATE',
  'MODIFY',
  'UPDATE',
  'DELETE',
  'REMOVE',
  'ADD',
  'READ',
  'FIND',
  'TEST',
  'FIX',
  'MOVE',
  'RENAME',
  'MIRROR',
  'REFACTOR',
];

const ACTION = `(${TASK_ACTIONS.join('|')})`;
const TASK_LINE = /^\s*Task\s+([\w.-]+)\s*:\s*(.*?)\s*$/i;
const OPERATION = new RegExp(`^${ACTION}\\s+(\\S+?):?\\s*(?:#.*)?$`);
const OPERATION_LINE = new RegExp(`^(\\s*)${ACTION}\\s+(\\S+?):?\\s*$`);
const DETAIL_LINE = /^(\s*)-\s+(.*?)\s*$/;
const DETAIL_KEY = /^([A-Z][A-Z_]+(?: [a-z]+)?)\s*:\s*(.*)$/;

function detail(text: string, line: number): TaskDetail {
  const m = DETAIL_KEY.exec(text);
  return m ? { key: m[1]!, text: m[2]!, line } : { text, line };
}

/** Tasks from one task block (a fenced block in the blueprint). */
export function tasksFromBlock(code: Code, source: Source, nextId: () => string): ImplementationTask[] {
  const tasks: ImplementationTask[] = [];
  let task: ImplementationTask | undefined;
  let op: TaskOperation | undefined;
  const lines = code.value.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const taskLine = TASK_LINE.exec(line);
    if (taskLine) {
      const pos = source.codePosition(code, i, line.length - line.trimStart().length);
      task = { id: taskLine[1]!, title: line.trim(), line: pos.line, column: pos.column, operations: [], details: [] };
      tasks.push(task);
      op = undefined;
      const inline = OPERATION.exec(taskLine[2]!);
      if (inline) {
        const at = source.codePosition(code, i, line.indexOf(inline[2]!, line.indexOf(inline[1]!)));
        op = { action: inline[1] as TaskAction, path: inline[2]!, line: at.line, column: at.column, details: [] };
        task.operations.push(op);
      }
      return;
    }
    const opLine = OPERATION_LINE.exec(line);
    if (opLine) {
      if (!task) {
        const pos = source.codePosition(code, i, opLine[1]!.length);
        task = { id: nextId(), title: line.trim(), line: pos.line, column: pos.column, operations: [], details: [] };
        tasks.push(task);
      }
      const at = source.codePosition(code, i, line.indexOf(opLine[3]!, opLine[1]!.length + opLine[2]!.length));
      op = { action: opLine[2] as TaskAction, path: opLine[3]!, line: at.line, column: at.column, details: [] };
      task.operations.push(op);
      return;
    }
    const d = DETAIL_LINE.exec(line);
    if (d && task) {
      const item = detail(d[2]!, source.codePosition(code, i, 0).line);
      (op ? op.details : task.details).push(item);
    }
  });
  return tasks;
}

const STORY_HEADING = new RegExp(`^${ACTION}\\s+(.+?):?$`);

/** Story tasks: `### CREATE path:` headings with their bullet lists. */
export function storyTasks(nodes: RootContent[], source: Source, nextId: () => string): ImplementationTask[] {
  const tasks: ImplementationTask[] = [];
  let task: ImplementationTask | undefined;
  for (const node of nodes) {
    if (node.type === 'heading') {
      const title = plainText(node as Heading);
      const m = STORY_HEADING.exec(title);
      task = undefined;
      if (!m) continue;
      const pos = node.position!.start;
      // Column of the path in the heading line.
      const lineText = source.line(pos.line);
      const pathCol = lineText.indexOf(m[2]!.split(/\s/)[0]!);
      const op: TaskOperation = {
        action: m[1] as TaskAction,
        path: m[2]!.trim().replace(/^`|`$/g, ''),
        line: pos.line,
        column: pathCol >= 0 ? pathCol + 1 : pos.column,
        details: [],
      };
      task = { id: nextId(), title, line: pos.line, column: pos.column, operations: [op], details: [] };
      tasks.push(task);
      continue;
    }
    if (node.type === 'list' && task) {
      for (const item of (node as List).children) {
        const para = item.children[0];
        if (para?.type !== 'paragraph') continue;
        const text = plainText(para);
        const line = item.position!.start.line;
        const validate = /^VALIDATE\s*:\s*/i.exec(text);
        if (validate) {
          const code = para.children.find((c) => c.type === 'inlineCode');
          const value: Field = code
            ? { text: code.value.trim(), line: code.position!.start.line, column: code.position!.start.column + 1 }
            : { text: text.slice(validate[0].length), line, column: item.position!.start.column };
          task.validate = value;
          continue;
        }
        task.operations[0]!.details.push(detail(text, line));
      }
    }
  }
  return tasks;
}
