/**
 * The model of a PRP (Product Requirement Prompt) as read from its markdown. Every element carries the
 * 1-based line (and column where useful) of the original file, after conditional blocks were resolved.
 */
import type { ConditionalStructure } from './conditionals';

/** Which family of template the document follows (decides which sections are required). */
export type PrpVariant = 'base-v3' | 'base-v2' | 'story' | 'unknown';

export interface Position {
  line: number;
  column: number;
}

export interface TextBlock extends Position {
  /** The markdown source of the block, trimmed. */
  markdown: string;
  endLine: number;
}

/** A heading and the range of lines it governs (up to the next heading of the same or a higher level). */
export interface PrpSection extends Position {
  depth: number;
  /** The heading's plain text. */
  title: string;
  /** The canonical section it is recognised as (`goal`, `validation`, …), if any. */
  kind?: SectionKind;
  /** Offsets of the section's content (after the heading line) in the resolved text. */
  contentStart: number;
  contentEnd: number;
  endLine: number;
}

export type SectionKind =
  | 'goal'
  | 'persona'
  | 'why'
  | 'what'
  | 'success-criteria'
  | 'context'
  | 'references'
  | 'blueprint'
  | 'tasks'
  | 'validation'
  | 'final-checklist'
  | 'anti-patterns'
  | 'story'
  | 'story-metadata';

export interface Field extends Position {
  text: string;
}

export interface PrpGoal extends TextBlock {
  featureGoal?: Field;
  deliverable?: Field;
  successDefinition?: Field;
}

export interface Checkbox extends Position {
  text: string;
  checked: boolean;
  /** The sub-heading the item sits under (`Technical Validation`…), if any. */
  group?: string;
}

export type ReferenceKind = 'url' | 'file' | 'docfile' | 'doc';

export interface ContextReference extends Position {
  kind: ReferenceKind;
  /** The URL or project-relative path, as written. */
  target: string;
  why?: string;
  pattern?: string;
  gotcha?: string;
  section?: string;
  critical?: string;
  /** Other keys of the entry, in order. Never an object, so a `__proto__` key is just a string here. */
  notes: Array<{ key: string; value: string; line: number }>;
  /** How the entry was found: the YAML parser, the line-based fallback, or a markdown list item. */
  source: 'yaml' | 'lines' | 'markdown';
}

export type TaskAction =
  | 'CREATE'
  | 'MODIFY'
  | 'UPDATE'
  | 'DELETE'
  | 'REMOVE'
  | 'ADD'
  | 'READ'
  | 'FIND'
  | 'TEST'
  | 'FIX'
  | 'MOVE'
  | 'RENAME'
  | 'MIRROR'
  | 'REFACTOR';

export interface TaskDetail {
  /** `IMPLEMENT`, `FOLLOW pattern`, `NAMING`… when the bullet starts with `KEY:`. */
  key?: string;
  text: string;
  line: number;
}

export interface TaskOperation extends Position {
  action: TaskAction;
  path: string;
  details: TaskDetail[];
}

export interface ImplementationTask extends Position {
  /** `1`, `2`, … as written, or the running number for story tasks. */
  id: string;
  /** The task's heading line as written (`Task 1: CREATE src/models/user.ts`). */
  title: string;
  operations: TaskOperation[];
  /** Bullets before any operation. */
  details: TaskDetail[];
  /** Story tasks: the `VALIDATE` command. */
  validate?: Field;
}

export interface HiddenCharacter extends Position {
  codePoint: number;
  name: string;
}

export interface GateCommand extends Position {
  /** The command as the shell gets it: continuations joined with a space, heredocs and quoted newlines kept. */
  text: string;
  endLine: number;
  /** The fence's language (`bash`, `sh`, `shell`). */
  lang: string;
  /** Invisible or bidi characters in the command (each also reported as a problem). */
  hidden: HiddenCharacter[];
}

export interface ValidationLevel extends Position {
  /** The number after `Level`. */
  level: number;
  /** The name after the number (`Syntax & Style (Immediate Feedback)`). */
  name: string;
  commands: GateCommand[];
  /** `Expected: …` notes, from fence comments or paragraphs after a fence. */
  expectations: Field[];
}

export interface ConfidenceScore extends Position {
  score: number;
  outOf: number;
}

export interface Prp {
  /** Project-relative path. */
  file: string;
  variant: PrpVariant;
  title: string;
  titlePosition: Position;
  /** Front matter (`---` YAML) or the `name:`/`description:` header of the templates. */
  meta: { name?: string; description?: string };
  sections: PrpSection[];
  goal?: PrpGoal;
  why?: TextBlock;
  what?: TextBlock;
  successCriteria: Checkbox[];
  contextReferences: ContextReference[];
  tasks: ImplementationTask[];
  validationLevels: ValidationLevel[];
  finalChecklist: Checkbox[];
  confidence?: ConfidenceScore;
  antiPatterns: Field[];
  /** The conditional blocks of the original text and which branches were kept. */
  conditionals: ConditionalStructure;
  /** The text after conditional blocks were resolved (same length and lines as the file). */
  resolvedText: string;
}
