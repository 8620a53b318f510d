/**
 * `edit_file`: replace one exact piece of text in a file. The old text must occur exactly once (or every
 * occurrence is replaced with `replace_all`); missing or ambiguous text is an error the model can fix by
 * reading the file again or giving more context. Replacement is literal (no `$&` patterns).
 */
import { z } from 'zod';
import { decodeUtf8 } from '../../text';
import { displayPath, resolveToolPath } from './paths';
import { defineTool, ToolError } from './tool';

const input = z
  .object({
    path: z.string().min(1).describe('File path, relative to the project root.'),
    old_text: z.string().min(1).describe('Text to replace: exactly as in the file, including whitespace.'),
    new_text: z.string().describe('The replacement text.'),
    replace_all: z.boolean().optional().describe('Replace every occurrence instead of requiring exactly one.'),
  })
  .strict();

/** Start offsets of the non-overlapping occurrences of `needle`. */
export function occurrences(haystack: string, needle: string): number[] {
  const found: number[] = [];
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) found.push(at);
  return found;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

export const editFileTool = defineTool<z.infer<typeof input>>({
  name: 'edit_file',
  description:
    'Replace `old_text` with `new_text` in a file. `old_text` must match the file exactly (whitespace and ' +
    'indentation included) and occur exactly once — include enough surrounding lines to make it unique — unless ' +
    '`replace_all` is true. Read the file first.',
  input,
  access: 'write',
  target: (i) => i.path,
  async run(i, ctx) {
    const abs = resolveToolPath(ctx.root, i.path);
    const shown = displayPath(ctx.root, abs);
    const st = await ctx.fs.stat(abs);
    if (!st) throw new ToolError(`${shown} does not exist; use write_file to create it`);
    if (st.type !== 'file') throw new ToolError(`${shown} is not a regular file`);
    if (st.size > ctx.limits.maxFileBytes) throw new ToolError(`${shown} is too large to edit (${st.size} bytes)`);
    const decoded = decodeUtf8(await ctx.fs.readFile(abs), shown, ctx.limits.maxFileBytes);
    if (decoded.problems.length > 0) throw new ToolError(`${shown}: ${decoded.problems[0]!.message}`);
    const text = decoded.text;
    if (i.old_text === i.new_text) throw new ToolError('old_text and new_text are the same; nothing to change');
    const at = occurrences(text, i.old_text);
    if (at.length === 0) {
      const loose = squash(text).includes(squash(i.old_text));
      throw new ToolError(
        `old_text was not found in ${shown}.${
          loose
            ? ' It matches when whitespace is ignored: copy the exact whitespace and indentation from read_file.'
            : ' Read the file again and copy the text exactly.'
        } The file was not changed.`,
      );
    }
    if (at.length > 1 && !i.replace_all) {
      const lines = at.slice(0, 10).map((o) => lineOf(text, o));
      throw new ToolError(
        `old_text occurs ${at.length} times in ${shown} (lines ${lines.join(', ')}${at.length > 10 ? ', …' : ''}); ` +
          'include more surrounding text so it is unique, or set replace_all. The file was not changed.',
      );
    }
    let out = '';
    let last = 0;
    for (const o of at) {
      out += text.slice(last, o) + i.new_text;
      last = o + i.old_text.length;
    }
    out += text.slice(last);
    await ctx.fs.writeFileAtomic(abs, out);
    const first = lineOf(text, at[0]!);
    return {
      content: `Edited ${shown}: ${at.length} replacement${at.length > 1 ? 's' : ''} (first at line ${first}).`,
      changed: [shown],
    };
  },
});
