/** Headings → sections, and which canonical PRP section each one is (v3, v2 and story spellings). */
import type { Heading, Root, RootContent } from 'mdast';
import type { PrpSection, SectionKind } from './model';
import { plainText, type Source } from './source';

const KINDS: ReadonlyArray<[SectionKind, RegExp]> = [
  ['goal', /^goals?\b/],
  ['persona', /^user persona\b/],
  ['why', /^why\b/],
  ['what', /^what\b/],
  ['success-criteria', /^(?:success|acceptance) criteria\b/],
  ['context', /^(?:all )?needed context\b|^context references\b|^context$|^context (?:&|and) references\b/],
  ['references', /^documentation (?:&|and) references\b/],
  ['blueprint', /^implementation (?:blueprint|plan)\b/],
  ['tasks', /^implementation tasks\b|^list of tasks\b|^tasks\b/],
  ['validation', /^validation (?:loop|gates|commands)\b/],
  ['final-checklist', /^final validation checklist\b|^completion checklist\b|^final checklist\b/],
  ['anti-patterns', /^anti-?patterns\b/],
  ['story', /^original story\b/],
  ['story-metadata', /^story metadata\b/],
];

/** Lower-cased heading text without leading emoji, numbering or punctuation (`## 1. 🎯 Goal` → `goal`). */
export function normalizeHeading(title: string): string {
  return title
    .toLowerCase()
    .replace(/^[^a-z]+/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function sectionKind(title: string): SectionKind | undefined {
  const n = normalizeHeading(title);
  return KINDS.find(([, re]) => re.test(n))?.[0];
}

/** Every top-level heading with the range of content it governs. */
export function buildSections(root: Root, source: Source): PrpSection[] {
  const headings = root.children.filter((n): n is Heading => n.type === 'heading');
  return headings.map((h, i) => {
    let next: Heading | undefined;
    for (let k = i + 1; k < headings.length; k++) {
      if (headings[k]!.depth <= h.depth) {
        next = headings[k];
        break;
      }
    }
    const title = plainText(h);
    const kind = sectionKind(title);
    const contentEnd = next?.position?.start.offset ?? source.text.length;
    const start = h.position!.start;
    return {
      line: start.line,
      column: start.column,
      depth: h.depth,
      title,
      ...(kind ? { kind } : {}),
      contentStart: h.position!.end.offset ?? 0,
      contentEnd,
      endLine: source.positionAt(Math.max(contentEnd - 1, 0)).line,
    };
  });
}

/** Root-level nodes that start inside `section`'s content. */
export function nodesIn(root: Root, section: { contentStart: number; contentEnd: number }): RootContent[] {
  return root.children.filter((n) => {
    const at = n.position?.start.offset ?? -1;
    return at >= section.contentStart && at < section.contentEnd;
  });
}

/** The first section of a kind, preferring the shallowest heading. */
export function findSection(sections: PrpSection[], kind: SectionKind): PrpSection | undefined {
  let best: PrpSection | undefined;
  for (const s of sections) if (s.kind === kind && (!best || s.depth < best.depth)) best = s;
  return best;
}

export function sectionsOf(sections: PrpSection[], kind: SectionKind): PrpSection[] {
  return sections.filter((s) => s.kind === kind);
}
