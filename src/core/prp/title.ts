/**
 * A PRP's title and metadata without parsing its markdown: the first `# ` heading, else the `name` of its front
 * matter (or of the `name: "…"` header the PRP templates start with), else its first heading, else nothing.
 * Cheap enough to run over every PRP of a project for listings.
 */
import { parseDocument } from 'yaml';
import { lineText, scanLines } from './lines';

export interface TitleInfo {
  title?: string;
  /** 1-based line and column of the title text. */
  line: number;
  column: number;
  meta: { name?: string; description?: string };
}

const ATX = /^(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const DIRECTIVE = /^(?:ELSE[ \t]+IF|ELSEIF|ENDIF|END[ \t]+IF|IF|ELSE)(?:[ \t]|$)/;

/** Markdown inline syntax removed for display: `**x**`, `` `x` ``, `[x](y)`. */
export function stripInlineMarkdown(s: string): string {
  return s
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__|\*|_|~~|`)(.+?)\1/g, '$2')
    .replace(/\s+/g, ' ')
    .trim();
}

function stringField(doc: ReturnType<typeof parseDocument>, key: string): string | undefined {
  const v = doc.get(key);
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

function readMeta(yamlText: string): TitleInfo['meta'] {
  const doc = parseDocument(yamlText, { uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length > 0) return {};
  const name = stringField(doc, 'name') ?? stringField(doc, 'title');
  const description = stringField(doc, 'description');
  return { ...(name ? { name } : {}), ...(description ? { description } : {}) };
}

export function extractTitle(text: string): TitleInfo {
  const lines = scanLines(text);
  let meta: TitleInfo['meta'] = {};
  let metaLine = 1;
  let metaColumn = 1;
  let firstHeading: { title: string; line: number; column: number } | undefined;

  // Front matter, or the templates' plain `name:` / `description:` header before the first `---` or heading.
  if (lines[0]?.raw && lineText(text, lines[0]) === '---') {
    let end = 1;
    while (end < lines.length && lines[end]!.raw && lineText(text, lines[end]!) !== '---') end++;
    meta = readMeta(text.slice(lines[1]?.start ?? 0, lines[end]?.start ?? text.length));
    for (let k = 1; k < end; k++) {
      const t = lineText(text, lines[k]!);
      if (meta.name && /^(?:name|title):/.test(t) && t.includes(meta.name)) {
        metaLine = k + 1;
        metaColumn = t.indexOf(meta.name) + 1;
        break;
      }
    }
  } else {
    const first = lines.find((l) => !l.blank);
    if (first && /^name:\s*\S/.test(lineText(text, first))) {
      let end = first.index;
      while (end < lines.length && !/^(?:---|#)/.test(lineText(text, lines[end]!))) end++;
      meta = readMeta(text.slice(first.start, lines[end]?.start ?? text.length));
      if (!meta.name) {
        const m = /^name:\s*(['"]?)(.*?)\1\s*$/.exec(lineText(text, first));
        if (m?.[2]) meta = { ...meta, name: m[2] };
      }
      metaLine = first.index + 1;
      metaColumn = lineText(text, first).indexOf(meta.name ?? '') + 1 || 1;
    }
  }

  for (const line of lines) {
    if (line.raw) continue;
    const t = lineText(text, line);
    const m = ATX.exec(t);
    if (!m || DIRECTIVE.test(m[2]!)) continue;
    const title = stripInlineMarkdown(m[2]!);
    if (!title) continue;
    const found = { title, line: line.index + 1, column: m[1]!.length + t.slice(m[1]!.length).search(/\S/) + 1 };
    if (m[1] === '#') return { ...found, meta };
    firstHeading ??= found;
  }
  if (meta.name) return { title: meta.name, line: metaLine, column: metaColumn, meta };
  if (firstHeading) return { ...firstHeading, meta };
  return { line: 1, column: 1, meta };
}
