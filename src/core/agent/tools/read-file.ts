/** `read_file`: a text file of the project, whole or a range of lines. */
import { z } from 'zod';
import { decodeUtf8 } from '../../text';
import { displayPath, resolveToolPath } from './paths';
import { capText, defineTool, ToolError } from './tool';

const DEFAULT_LINES = 2000;

const input = z
  .object({
    path: z.string().min(1).describe('File path, relative to the project root.'),
    offset: z.number().int().min(1).max(10_000_000).optional().describe('First line to read (1-based). Default 1.'),
    limit: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .optional()
      .describe(`Number of lines to read. Default ${DEFAULT_LINES}.`),
  })
  .strict();

export const readFileTool = defineTool<z.infer<typeof input>>({
  name: 'read_file',
  description:
    'Read a UTF-8 text file of the project. Returns its text exactly (no line numbers added), or the requested ' +
    'range of lines with a note when more follows. Read a file before editing it.',
  input,
  access: 'read',
  target: (i) => i.path,
  async run(i, ctx) {
    const abs = resolveToolPath(ctx.root, i.path);
    const shown = displayPath(ctx.root, abs);
    const st = await ctx.fs.stat(abs);
    if (!st) throw new ToolError(`${shown} does not exist`);
    if (st.type === 'directory') throw new ToolError(`${shown} is a directory; use list_dir`);
    if (st.size > ctx.limits.maxFileBytes) {
      throw new ToolError(`${shown} is ${st.size} bytes, over the ${ctx.limits.maxFileBytes}-byte limit of read_file`);
    }
    const bytes = await ctx.fs.readFile(abs);
    if (bytes.subarray(0, 8192).includes(0)) throw new ToolError(`${shown} is a binary file`);
    const decoded = decodeUtf8(bytes, shown, ctx.limits.maxFileBytes);
    if (decoded.problems.length > 0) throw new ToolError(`${shown}: ${decoded.problems[0]!.message}`);
    const text = decoded.text;
    if (text === '') return { content: `(${shown} is empty)` };
    const lines = text.split('\n');
    const total = text.endsWith('\n') ? lines.length - 1 : lines.length;
    const start = (i.offset ?? 1) - 1;
    if (start >= total) throw new ToolError(`${shown} has ${total} lines; offset ${i.offset} is past the end`);
    const count = i.limit ?? DEFAULT_LINES;
    const end = Math.min(total, start + count);
    let body = lines.slice(start, end).join('\n');
    if (start > 0 || end < total) {
      body += `\n[lines ${start + 1}–${end} of ${total}${end < total ? `; read more with offset ${end + 1}` : ''}]`;
    } else if (text.endsWith('\n')) body += '\n';
    return { content: capText(body, ctx.limits.maxResultChars) };
  },
});
