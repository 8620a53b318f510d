/**
 * Reads a PRP into its model: conditional blocks resolved against the project facts, hostile markdown refused
 * before parsing, then every part extracted with its position in the original file.
 *
 * Fatal problems (invalid UTF-8, over the size cap, markdown too deep or dense to parse safely, a path outside
 * the project, a missing file) give no model. Everything else — conditional errors, hidden characters in gate
 * commands — comes back as problems next to the model.
 */
import type { List, ListItem, Nodes, Root, RootContent } from 'mdast';
import { type Problem, problem, type ReadResult } from '../problems';
import { emptyTechStack, type ProjectFacts } from '../project/facts';
import { decodeUtf8, describeCodePoint, MAX_INPUT_BYTES } from '../text';
import { PathEscapeError, type Workspace } from '../workspace';
import { resolveConditionals } from './conditionals';
import { extractLevels } from './levels';
import { lineText, scanLines } from './lines';
import { parseMarkdown, planMarkdown, prescanMarkdown } from './markdown';
import type {
  Checkbox,
  ConfidenceScore,
  Field,
  ImplementationTask,
  Prp,
  PrpGoal,
  PrpSection,
  PrpVariant,
  SectionKind,
  TextBlock,
} from './model';
import { extractReferences } from './references';
import { buildSections, findSection, nodesIn } from './sections';
import { plainText, Source } from './source';
import { storyTasks, tasksFromBlock } from './tasks';
import { extractTitle } from './title';

export const RULE_HIDDEN_UNICODE = 'hidden-unicode';
export const RULE_FILE_NOT_FOUND = 'file-not-found';
export const RULE_PATH_OUTSIDE_PROJECT = 'path-outside-project';

export interface ParsePrpOptions {
  /** What `## IF` conditions are evaluated against (default: nothing detected). */
  facts?: ProjectFacts;
}

function defaultFacts(): ProjectFacts {
  return { techStack: emptyTechStack() };
}

/** A PRP model together with the markdown tree it was built from (for lint and editors). */
export interface PrpDocument {
  prp: Prp;
  tree: Root;
  /** The text as given (conditional blocks unresolved), without a byte-order mark. */
  originalText: string;
}

/** Parses PRP markdown text. `file` is the project-relative path used in problems. */
export function parsePrp(input: string, file: string, options: ParsePrpOptions = {}): ReadResult<Prp> {
  const r = parsePrpDocument(input, file, options);
  return { value: r.value?.prp, problems: r.problems };
}

/** {@link parsePrp}, keeping the markdown tree. */
export function parsePrpDocument(input: string, file: string, options: ParsePrpOptions = {}): ReadResult<PrpDocument> {
  // Editors do not count a byte-order mark as a column; neither do we (decodeUtf8 already drops it).
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const bytes = utf8Length(text);
  if (bytes > MAX_INPUT_BYTES) {
    return {
      value: undefined,
      problems: [
        problem(
          file,
          1,
          1,
          'file-too-large',
          `file is ${bytes} bytes, over the ${MAX_INPUT_BYTES}-byte limit; split it`,
        ),
      ],
    };
  }
  const facts = options.facts ?? defaultFacts();
  const resolved = resolveConditionals(text, file, facts);
  const plan = planMarkdown(resolved.text);
  const fatal = prescanMarkdown(resolved.text, file, plan);
  if (fatal.length > 0) return { value: undefined, problems: [...fatal, ...resolved.structure.problems] };

  const root = parseMarkdown(resolved.text, plan);
  const source = new Source(resolved.text);
  const sections = buildSections(root, source);
  const problems: Problem[] = [...resolved.structure.problems];

  const titleInfo = extractTitle(resolved.text);
  const title = titleInfo.title ?? file.replace(/^.*\//, '').replace(/\.md$/i, '');

  const goalSection = findSection(sections, 'goal');
  const goal = goalSection ? readGoal(goalSection, source) : undefined;
  const why = textBlock(findSection(sections, 'why'), source);
  const what = textBlock(findSection(sections, 'what'), source);

  const criteriaSection = findSection(sections, 'success-criteria') ?? findSection(sections, 'what');
  const successCriteria = criteriaSection ? checkboxes(nodesIn(root, criteriaSection), source) : [];

  const contextSections = outermost(sections, ['context', 'references']);
  const contextReferences =
    contextSections.length > 0
      ? contextSections.flatMap((s) => extractReferences(nodesIn(root, s), source, true))
      : extractReferences(root.children, source, false);

  let taskCounter = 0;
  const nextId = (): string => String(++taskCounter);
  const tasks: ImplementationTask[] = [];
  for (const s of outermost(sections, ['blueprint', 'tasks'])) {
    const nodes = nodesIn(root, s);
    for (const node of nodes) {
      if (node.type === 'code' && ['yaml', 'yml', 'text', ''].includes((node.lang ?? '').toLowerCase())) {
        tasks.push(...tasksFromBlock(node, source, nextId));
      }
    }
    tasks.push(...storyTasks(nodes, source, nextId));
  }

  const validationSections = outermost(sections, ['validation']);
  const validationLevels =
    validationSections.length > 0
      ? validationSections.flatMap((s) => extractLevels(nodesIn(root, s), source, s))
      : extractLevels(root.children, source);

  const checklistSection = findSection(sections, 'final-checklist');
  const finalChecklist = checklistSection ? checkboxes(nodesIn(root, checklistSection), source) : [];

  const antiSection = findSection(sections, 'anti-patterns');
  const antiPatterns = antiSection ? listItems(nodesIn(root, antiSection)) : [];

  for (const level of validationLevels) {
    for (const command of level.commands) {
      for (const h of command.hidden) {
        problems.push(
          hiddenProblem(file, h.line, h.column, h.codePoint, h.name, `gate command of Level ${level.level}`),
        );
      }
    }
  }

  const prp: Prp = {
    file,
    variant: 'unknown',
    title,
    titlePosition: { line: titleInfo.line, column: titleInfo.column },
    meta: titleInfo.meta,
    sections,
    ...(goal ? { goal } : {}),
    ...(why ? { why } : {}),
    ...(what ? { what } : {}),
    successCriteria,
    contextReferences,
    tasks,
    validationLevels,
    finalChecklist,
    ...optional('confidence', findConfidence(resolved.text)),
    antiPatterns,
    conditionals: resolved.structure,
    resolvedText: resolved.text,
  };
  prp.variant = detectVariant(prp);
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return { value: { prp, tree: root, originalText: text }, problems };
}

/** Reads and parses a PRP file. `requested` is project-relative (or absolute inside the project). */
export async function readPrp(
  workspace: Workspace,
  requested: string,
  options: ParsePrpOptions = {},
): Promise<ReadResult<Prp>> {
  const r = await readPrpDocument(workspace, requested, options);
  return { value: r.value?.prp, problems: r.problems };
}

/** {@link readPrp}, keeping the markdown tree. */
export async function readPrpDocument(
  workspace: Workspace,
  requested: string,
  options: ParsePrpOptions = {},
): Promise<ReadResult<PrpDocument>> {
  let abs: string;
  try {
    abs = await workspace.resolveInside(requested);
  } catch (e) {
    if (e instanceof PathEscapeError) {
      return {
        value: undefined,
        problems: [
          problem(
            requested,
            1,
            1,
            RULE_PATH_OUTSIDE_PROJECT,
            `${e.message}; PRPs are read from inside the project only`,
          ),
        ],
      };
    }
    throw e;
  }
  const file = workspace.rel(abs);
  const stat = await workspace.fs.stat(abs);
  if (!stat) return { value: undefined, problems: [problem(file, 1, 1, RULE_FILE_NOT_FOUND, 'file not found')] };
  if (stat.type === 'directory') {
    return { value: undefined, problems: [problem(file, 1, 1, RULE_FILE_NOT_FOUND, 'is a directory, not a PRP file')] };
  }
  let bytes: Uint8Array;
  try {
    bytes = await workspace.fs.readFile(abs);
  } catch (e) {
    return {
      value: undefined,
      problems: [problem(file, 1, 1, RULE_FILE_NOT_FOUND, `cannot read the file: ${(e as Error).message}`)],
    };
  }
  const decoded = decodeUtf8(bytes, file);
  if (decoded.problems.length > 0) return { value: undefined, problems: decoded.problems };
  return parsePrpDocument(decoded.text, file, options);
}

export function hiddenProblem(
  file: string,
  line: number,
  column: number,
  codePoint: number,
  name: string,
  where: string,
  severity: Problem['severity'] = 'error',
): Problem {
  return problem(
    file,
    line,
    column,
    RULE_HIDDEN_UNICODE,
    `invisible character ${describeCodePoint(codePoint)} ${name} in ${where}: it can hide what really runs; delete it`,
    severity,
  );
}

/** UTF-8 length of a string without encoding it. */
function utf8Length(text: string): number {
  if (text.length * 3 <= MAX_INPUT_BYTES) return text.length; // cannot be over the cap
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** Sections of the given kinds that are not inside another such section. */
function outermost(sections: PrpSection[], kinds: SectionKind[]): PrpSection[] {
  const chosen = sections.filter((s) => s.kind !== undefined && kinds.includes(s.kind));
  return chosen.filter(
    (s) =>
      !chosen.some(
        (o) => o !== s && o.contentStart <= s.contentStart && s.contentEnd <= o.contentEnd && o.depth < s.depth,
      ),
  );
}

function textBlock(section: PrpSection | undefined, source: Source): TextBlock | undefined {
  if (!section) return undefined;
  const raw = source.text.slice(section.contentStart, section.contentEnd);
  const markdown = raw.trim();
  const lead = raw.length - raw.trimStart().length;
  const start = source.positionAt(section.contentStart + lead);
  return {
    markdown,
    line: markdown ? start.line : section.line,
    column: markdown ? start.column : section.column,
    endLine: section.endLine,
  };
}

const GOAL_FIELD = /^\s*(?:[-*]\s+)?\*\*(Feature Goal|Deliverable|Success Definition)\s*:?\s*\*\*\s*:?\s*(.*)$/i;

function readGoal(section: PrpSection, source: Source): PrpGoal {
  const block = textBlock(section, source)!;
  const goal: PrpGoal = { ...block };
  const first = source.positionAt(section.contentStart).line;
  const last = section.endLine;
  let current: { key: 'featureGoal' | 'deliverable' | 'successDefinition'; field: Field } | undefined;
  for (let line = first; line <= last; line++) {
    const t = source.line(line);
    const m = GOAL_FIELD.exec(t);
    if (m) {
      const name = m[1]!.toLowerCase();
      const key =
        name === 'feature goal' ? 'featureGoal' : name === 'deliverable' ? 'deliverable' : 'successDefinition';
      const value = m[2]!.trim();
      current = {
        key,
        field: { text: value, line, column: t.length - m[2]!.length + 1 + (m[2]!.length - m[2]!.trimStart().length) },
      };
      goal[key] = current.field;
      continue;
    }
    if (!t.trim() || /^#/.test(t)) {
      current = undefined;
      continue;
    }
    if (current) current.field.text = `${current.field.text} ${t.trim()}`.trim();
  }
  return goal;
}

/** Task-list items (`- [ ]` / `- [x]`) in the nodes, with the sub-heading each sits under. */
function checkboxes(nodes: RootContent[], source: Source): Checkbox[] {
  const out: Checkbox[] = [];
  let group: string | undefined;
  for (const node of nodes) {
    if (node.type === 'heading') {
      group = plainText(node);
      continue;
    }
    const stack: Nodes[] = [node];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n.type === 'listItem' && typeof (n as ListItem).checked === 'boolean') {
        const item = n as ListItem;
        const para = item.children[0];
        const text = para ? source.slice(para).replace(/\s+/g, ' ').trim() : '';
        const p = (para ?? item).position!.start;
        out.push({ text, checked: item.checked === true, line: p.line, column: p.column, ...(group ? { group } : {}) });
      }
      if ('children' in n) {
        const kids = n.children as Nodes[];
        for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
      }
    }
  }
  return out;
}

function listItems(nodes: RootContent[]): Field[] {
  const out: Field[] = [];
  for (const node of nodes) {
    if (node.type !== 'list') continue;
    for (const item of (node as List).children) {
      const text = plainText(item);
      const p = item.position!.start;
      if (text) out.push({ text, line: p.line, column: p.column });
    }
  }
  return out;
}

const CONFIDENCE =
  /confidence(?:[ \t]+(?:score|level|rating))?[^\d\n]{0,40}?(\d{1,3}(?:\.\d+)?)[ \t]*\/[ \t]*(\d{1,3})\b/i;

/** The first `N/10` next to the word "confidence", outside code fences. */
function findConfidence(text: string): ConfidenceScore | undefined {
  for (const line of scanLines(text)) {
    if (line.raw) continue;
    const t = lineText(text, line);
    const m = CONFIDENCE.exec(t);
    if (!m) continue;
    // The lazy gap before the score holds no digit, so the first digit of the match is the score.
    return { score: Number(m[1]), outOf: Number(m[2]), line: line.index + 1, column: m.index + m[0].search(/\d/) + 1 };
  }
  return undefined;
}

function detectVariant(prp: Prp): PrpVariant {
  const kinds = new Set(prp.sections.map((s) => s.kind));
  if (kinds.has('story') || kinds.has('story-metadata') || (!kinds.has('goal') && kinds.has('tasks'))) return 'story';
  if (prp.goal?.featureGoal || prp.goal?.deliverable || prp.validationLevels.length >= 4) return 'base-v3';
  if (kinds.has('goal')) return 'base-v2';
  return 'unknown';
}
