/** `write_file`: create or replace a file of the project (atomically: readers see the old or the new file). */
import { z } from 'zod';
import { displayPath, resolveToolPath } from './paths';
import { defineTool, ToolError } from './tool';

const input = z
  .object({
    path: z.string().min(1).describe('File path, relative to the project root. Parent folders are created.'),
    content: z.string().describe('The complete new content of the file.'),
  })
  .strict();

export const writeFileTool = defineTool<z.infer<typeof input>>({
  name: 'write_file',
  description:
    'Create a file, or replace a whole file, with the given content. Prefer edit_file for changing part of an ' +
    'existing file. Control files (.git/, .vscode/, .claude/ settings…) and files outside the project are refused.',
  input,
  access: 'write',
  target: (i) => i.path,
  async run(i, ctx) {
    const abs = resolveToolPath(ctx.root, i.path);
    const shown = displayPath(ctx.root, abs);
    const bytes = Buffer.byteLength(i.content, 'utf8');
    if (bytes > ctx.limits.maxWriteBytes) {
      throw new ToolError(
        `the content is ${bytes} bytes, over the ${ctx.limits.maxWriteBytes}-byte limit of write_file`,
      );
    }
    const before = await ctx.fs.stat(abs);
    if (before?.type === 'directory') throw new ToolError(`${shown} is a directory`);
    await ctx.fs.writeFileAtomic(abs, i.content);
    const lines = i.content === '' ? 0 : i.content.split('\n').length - (i.content.endsWith('\n') ? 1 : 0);
    return {
      content: `${before ? 'Replaced' : 'Created'} ${shown} (${lines} lines, ${bytes} bytes).`,
      changed: [shown],
    };
  },
});
