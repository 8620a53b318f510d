/**
 * The Validation Loop: `### Level N: Name` headings, each with the commands of its `bash`/`sh`/`shell` fences
 * and the `Expected: …` notes that tell what passing looks like. A validation section with fences but no
 * level headings (older "Validation Gates" PRPs) is read as a single level 1.
 */
import type { Code, Heading, Paragraph, RootContent } from 'mdast';
import { findHiddenChars } from '../text';
import { splitShellCommands } from './commands';
import { walk } from './markdown';
import type { Field, GateCommand, HiddenCharacter, PrpSection, ValidationLevel } from './model';
import { plainText, type Source } from './source';

export const SHELL_LANGS: ReadonlySet<string> = new Set(['bash', 'sh', 'shell']);

const LEVEL_HEADING = /^level\s+(\d{1,3})\s*(?:[:.)\-–—]\s*)?(.*)$/i;
const EXPECTED = /^\**\s*expected(?: result| output)?\s*\**\s*[:-]\s*\**\s*(.*)$/i;

export function isLevelHeading(title: string): { level: number; name: string } | undefined {
  const m = LEVEL_HEADING.exec(title.replace(/^[^A-Za-z]+/, '').trim());
  return m ? { level: Number(m[1]), name: m[2]!.trim() } : undefined;
}

function commandsOf(code: Code, source: Source): { commands: GateCommand[]; expectations: Field[] } {
  const split = splitShellCommands(code.value);
  const valueLines = code.value.split('\n');
  const commands: GateCommand[] = split.commands.map((c) => {
    const start = source.codePosition(code, c.startLine, c.startColumn);
    const end = source.codePosition(code, c.endLine, 0);
    const hidden: HiddenCharacter[] = [];
    for (let l = c.startLine; l <= c.endLine; l++) {
      for (const h of findHiddenChars(valueLines[l] ?? '')) {
        const at = source.codePosition(code, l, h.offset);
        hidden.push({ line: at.line, column: at.column, codePoint: h.codePoint, name: h.name });
      }
    }
    return { text: c.text, line: start.line, column: start.column, endLine: end.line, lang: code.lang ?? '', hidden };
  });
  const expectations: Field[] = [];
  for (const comment of split.comments) {
    const m = EXPECTED.exec(comment.text);
    if (!m) continue;
    const at = source.codePosition(code, comment.line, comment.column);
    expectations.push({ text: m[1]!.trim(), line: at.line, column: at.column });
  }
  return { commands, expectations };
}

function expectationOf(node: Paragraph): Field | undefined {
  const text = plainText(node);
  const m = EXPECTED.exec(text);
  if (!m) return undefined;
  const p = node.position!.start;
  return { text: m[1]!.trim(), line: p.line, column: p.column };
}

/** Levels found in the given root-level nodes (the validation section's content, or the whole document). */
export function extractLevels(
  nodes: RootContent[],
  source: Source,
  sectionForFallback?: PrpSection,
): ValidationLevel[] {
  const levels: ValidationLevel[] = [];
  let current: ValidationLevel | undefined;
  let currentDepth = 7;
  const loose: ValidationLevel = {
    level: 1,
    name: 'Validation',
    line: sectionForFallback?.line ?? 1,
    column: sectionForFallback?.column ?? 1,
    commands: [],
    expectations: [],
  };
  for (const node of nodes) {
    if (node.type === 'heading') {
      const h = node as Heading;
      const level = isLevelHeading(plainText(h));
      if (level) {
        current = {
          ...level,
          line: h.position!.start.line,
          column: h.position!.start.column,
          commands: [],
          expectations: [],
        };
        currentDepth = h.depth;
        levels.push(current);
      } else if (h.depth <= currentDepth) {
        current = undefined;
        currentDepth = 7;
      }
      continue;
    }
    const target = current ?? (levels.length === 0 ? loose : undefined);
    if (!target) continue;
    // Fences may sit inside list items ("1. Run the linter:" + an indented fence).
    walk(node, (n) => {
      if (n.type === 'code') {
        if (SHELL_LANGS.has((n.lang ?? '').toLowerCase())) {
          const { commands, expectations } = commandsOf(n, source);
          target.commands.push(...commands);
          target.expectations.push(...expectations);
        }
        return false;
      }
      if (n.type === 'paragraph') {
        const e = expectationOf(n);
        if (e) target.expectations.push(e);
        return false;
      }
      return undefined;
    });
  }
  if (levels.length === 0 && loose.commands.length > 0 && sectionForFallback) return [loose];
  return levels;
}
