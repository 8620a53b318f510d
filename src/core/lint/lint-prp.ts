/**
 * `lint` for PRPs: deterministic checks, no model. Reads the PRP (conditional blocks resolved against the
 * project facts), then checks required sections, the Validation Loop and every gate program, context and task
 * paths, unfilled template placeholders, hidden Unicode and the confidence score. See `rules.ts` for the ids.
 */
import * as path from 'node:path';
import type { Code, Nodes } from 'mdast';
import type { ProgramResolver } from '../ports/program-resolver';
import { type Problem, problem, type Severity } from '../problems';
import { emptyTechStack, type ProjectFacts } from '../project/facts';
import { walk } from '../prp/markdown';
import type { ContextReference, GateCommand, Prp, SectionKind } from '../prp/model';
import { hiddenProblem, type PrpDocument, readPrpDocument } from '../prp/read-prp';
import { Source } from '../prp/source';
import { findHiddenChars } from '../text';
import { isInside, PathEscapeError, type Workspace } from '../workspace';
import {
  commandPlaceholders,
  commentPlaceholders,
  type PlaceholderMatch,
  pathPlaceholders,
  prosePlaceholders,
} from './placeholders';
import { normalizeProjectPath, ProgramChecker } from './program-check';
import { LintRule } from './rules';

export interface LintOptions {
  /** What `## IF` blocks are resolved against (default: nothing detected). */
  facts?: ProjectFacts;
  /** How gate programs are found on the machine. */
  programs: ProgramResolver;
}

export interface LintReport {
  /** Project-relative path of the PRP. */
  file: string;
  /** True when the file could not be read or parsed at all (missing, invalid UTF-8, hostile markdown…). */
  fatal: boolean;
  /** Sorted by position. */
  problems: Problem[];
  prp?: Prp;
}

const REQUIRED_BASE: ReadonlyArray<[string, SectionKind[]]> = [
  ['## Goal', ['goal']],
  ['## Why', ['why']],
  ['## What (with ### Success Criteria)', ['what', 'success-criteria']],
  ['## All Needed Context', ['context', 'references']],
  ['## Implementation Blueprint', ['blueprint', 'tasks']],
  ['## Validation Loop', ['validation']],
];

const REQUIRED_STORY: ReadonlyArray<[string, SectionKind[]]> = [
  ['## CONTEXT REFERENCES', ['context', 'references']],
  ['## IMPLEMENTATION TASKS', ['tasks', 'blueprint']],
  ['## Validation Loop', ['validation']],
];

/** Task actions that need the target to exist already. */
const ACTS_ON_EXISTING = new Set([
  'MODIFY',
  'UPDATE',
  'DELETE',
  'REMOVE',
  'READ',
  'FIND',
  'FIX',
  'RENAME',
  'MOVE',
  'REFACTOR',
]);
const CREATES = new Set(['CREATE', 'ADD', 'MIRROR']);

/** Bidi controls and tag characters: always errors. Other invisible characters in prose: warnings. */
function hiddenSeverity(codePoint: number): Severity {
  const bidi =
    codePoint === 0x061c ||
    codePoint === 0x200e ||
    codePoint === 0x200f ||
    (codePoint >= 0x202a && codePoint <= 0x202e) ||
    (codePoint >= 0x2066 && codePoint <= 0x2069);
  return bidi || codePoint >= 0xe0000 ? 'error' : 'warning';
}

export async function lintPrp(workspace: Workspace, requested: string, options: LintOptions): Promise<LintReport> {
  const facts = options.facts ?? { techStack: emptyTechStack() };
  const read = await readPrpDocument(workspace, requested, { facts });
  if (!read.value) {
    const file = read.problems[0]?.file ?? requested;
    return { file, fatal: true, problems: read.problems };
  }
  const doc = read.value;
  const linter = new PrpLinter(workspace, doc, options.programs);
  const problems = await linter.run(read.problems);
  return { file: doc.prp.file, fatal: false, problems, prp: doc.prp };
}

class PrpLinter {
  private readonly problems: Problem[] = [];
  private readonly source: Source;
  private readonly prp: Prp;
  private readonly file: string;
  /** Problems already reported (position, rule and message), to avoid reporting one thing twice. */
  private readonly seen = new Set<string>();

  constructor(
    private readonly workspace: Workspace,
    private readonly doc: PrpDocument,
    private readonly programs: ProgramResolver,
  ) {
    this.prp = doc.prp;
    this.file = doc.prp.file;
    this.source = new Source(doc.prp.resolvedText);
  }

  async run(readerProblems: Problem[]): Promise<Problem[]> {
    for (const p of readerProblems) this.push(p);
    this.requiredSections();
    this.validationLoop();
    await this.gateCommands();
    await this.references();
    await this.tasks();
    this.prosePlaceholders();
    this.hiddenUnicode();
    this.confidence();
    return this.problems.sort((a, b) => a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule));
  }

  private push(p: Problem): void {
    const key = `${p.line}:${p.column}:${p.rule}:${p.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.problems.push(p);
  }

  private report(line: number, column: number, rule: string, message: string, severity: Severity = 'error'): void {
    this.push(problem(this.file, line, column, rule, message, severity));
  }

  private requiredSections(): void {
    const required = this.prp.variant === 'story' ? REQUIRED_STORY : REQUIRED_BASE;
    const kinds = new Set(this.prp.sections.map((s) => s.kind));
    const missing = required.filter(([, ks]) => !ks.some((k) => kinds.has(k)));
    for (const [label] of missing) {
      const kind = this.prp.variant === 'story' ? 'story' : 'base';
      this.report(1, 1, LintRule.MissingSection, `missing section "${label}" (required in a ${kind} PRP)`);
    }
    for (const [label, ks] of required) {
      const section = this.prp.sections.find((s) => s.kind !== undefined && ks.includes(s.kind));
      if (!section) continue;
      const body = this.source.text.slice(section.contentStart, section.contentEnd).trim();
      if (!body) {
        this.report(section.line, section.column, LintRule.EmptySection, `section "${label}" is empty`, 'warning');
      }
    }
  }

  private validationLoop(): void {
    const levels = this.prp.validationLevels;
    const anchor = this.prp.sections.find((s) => s.kind === 'validation');
    const storyGates = this.prp.tasks.some((t) => t.validate);
    if (!levels.some((l) => l.commands.length > 0) && !storyGates) {
      this.report(
        anchor?.line ?? 1,
        anchor?.column ?? 1,
        LintRule.NoValidationCommands,
        levels.length === 0
          ? 'no validation level: add "### Level 1: …" under "## Validation Loop" with a ```bash fence of commands'
          : 'no validation level has a command: put the commands in ```bash fences',
      );
    }
    for (const level of levels) {
      if (level.commands.length === 0) {
        this.report(
          level.line,
          level.column,
          LintRule.LevelWithoutCommands,
          `Level ${level.level} (${level.name || 'unnamed'}) has no commands in a bash, sh or shell fence`,
          'warning',
        );
      }
    }
  }

  private async gateCommands(): Promise<void> {
    const planned = new Set(
      this.prp.tasks.flatMap((t) =>
        t.operations.filter((o) => CREATES.has(o.action)).map((o) => normalizeProjectPath(o.path)),
      ),
    );
    const checker = new ProgramChecker(this.workspace, this.programs, planned);
    const commands: GateCommand[] = this.prp.validationLevels.flatMap((l) => l.commands);
    for (const task of this.prp.tasks) {
      if (task.validate) {
        commands.push({ ...task.validate, endLine: task.validate.line, lang: 'inline', hidden: [] });
        for (const h of findHiddenChars(task.validate.text)) {
          this.push(
            hiddenProblem(
              this.file,
              task.validate.line,
              task.validate.column + h.offset,
              h.codePoint,
              h.name,
              'a VALIDATE command',
            ),
          );
        }
      }
    }
    for (const command of commands) {
      for (const f of await checker.check(command.text)) {
        const at = this.locate(command.line, command.endLine, command.column, f.word);
        this.report(at.line, at.column, f.rule, f.message, f.severity);
      }
      for (const m of commandPlaceholders(command.text)) {
        const at = this.locate(command.line, command.endLine, command.column, m.text, false);
        this.placeholder(at.line, at.column, m, 'in a gate command');
      }
    }
  }

  private async references(): Promise<void> {
    for (const ref of this.prp.contextReferences) {
      const placeholders = pathPlaceholders(ref.target);
      for (const m of placeholders) this.placeholder(ref.line, ref.column + m.index, m, `in a ${ref.kind}: reference`);
      for (const key of ['why', 'pattern', 'gotcha', 'section', 'critical'] as const) {
        const value = ref[key];
        if (!value) continue;
        for (const m of [
          ...pathPlaceholders(value).filter((x) => x.text.startsWith('[')),
          ...prosePlaceholders(value),
        ]) {
          const at = this.locate(ref.line, ref.line + 12, 1, m.text, false);
          this.placeholder(at.line, at.column, m, `in the ${key} of a reference`);
        }
      }
      if (placeholders.length > 0 || (ref.kind !== 'file' && ref.kind !== 'docfile') || !ref.target) continue;
      await this.referencedFile(ref);
    }
  }

  private async referencedFile(ref: ContextReference): Promise<void> {
    // `src/x.ts:120`, `src/x.ts#L12`, `src/x.ts (the loop)`: the path is the first word, without a line anchor.
    const target = ref.target.split(/\s+/)[0]!.replace(/(?::\d+){1,2}$|#L\d+(?:-L?\d+)?$/, '');
    if (/[*?]/.test(target)) return;
    const outside = (why: string): void =>
      this.report(
        ref.line,
        ref.column,
        LintRule.ContextFileOutsideProject,
        `${ref.kind}: "${ref.target}" ${why}; references are read from inside the project only`,
      );
    if (
      target.startsWith('~') ||
      path.isAbsolute(target) ||
      !isInside(this.workspace.root, this.workspace.abs(target))
    ) {
      outside('is outside the project');
      return;
    }
    // A link to nothing is a missing file (checked first: a workspace may refuse to resolve through it).
    const dangling = await isDanglingSymlink(this.workspace, this.workspace.abs(target));
    let abs = this.workspace.abs(target);
    if (!dangling) {
      try {
        abs = await this.workspace.resolveInside(target);
      } catch (e) {
        if (e instanceof PathEscapeError) {
          outside(e.reason);
          return;
        }
        throw e;
      }
    }
    if (dangling || !(await existsFollowingLinks(this.workspace, abs))) {
      const hint = ref.kind === 'docfile' ? ' (put documentation for the agent in PRPs/ai_docs/)' : '';
      this.report(ref.line, ref.column, LintRule.ContextFileMissing, `${ref.kind}: "${target}" does not exist${hint}`);
    }
  }

  private async tasks(): Promise<void> {
    const created = new Set<string>();
    for (const task of this.prp.tasks) {
      for (const op of task.operations) {
        const placeholders = pathPlaceholders(op.path);
        for (const m of placeholders)
          this.placeholder(op.line, op.column + m.index, m, `in the path of Task ${task.id}`);
        if (placeholders.length > 0 || /[*?]/.test(op.path)) continue;
        const rel = normalizeProjectPath(op.path);
        if (
          op.path.startsWith('~') ||
          path.isAbsolute(op.path) ||
          !isInside(this.workspace.root, this.workspace.abs(rel))
        ) {
          this.report(
            op.line,
            op.column,
            LintRule.TaskPathOutsideProject,
            `${op.action} "${op.path}" is outside the project`,
          );
          continue;
        }
        let abs: string;
        try {
          abs = await this.workspace.resolveInside(rel);
        } catch (e) {
          if (e instanceof PathEscapeError) {
            this.report(op.line, op.column, LintRule.TaskPathOutsideProject, `${op.action} "${op.path}" ${e.reason}`);
            continue;
          }
          throw e;
        }
        if (CREATES.has(op.action)) {
          created.add(rel);
          continue;
        }
        if (
          ACTS_ON_EXISTING.has(op.action) &&
          !created.has(rel) &&
          !(await existsFollowingLinks(this.workspace, abs))
        ) {
          this.report(
            op.line,
            op.column,
            LintRule.TaskTargetMissing,
            `Task ${task.id}: ${op.action} "${op.path}", which does not exist (did you mean CREATE?)`,
            'warning',
          );
        }
      }
    }
  }

  /** Placeholders in prose (text nodes) and in comment lines of code blocks. */
  private prosePlaceholders(): void {
    walk(this.doc.tree, (node: Nodes) => {
      switch (node.type) {
        case 'inlineCode':
        case 'html':
        case 'yaml':
        case 'definition':
          return false;
        case 'code':
          this.codeComments(node);
          return false;
        case 'text': {
          const start = node.position?.start.offset ?? 0;
          const end = node.position?.end.offset ?? start;
          const raw = this.source.text.slice(start, end);
          for (const m of prosePlaceholders(raw)) {
            const at = this.source.positionAt(start + m.index);
            this.placeholder(at.line, at.column, m, '');
          }
          return false;
        }
        default:
          return undefined;
      }
    });
  }

  private codeComments(code: Code): void {
    const lines = code.value.split('\n');
    lines.forEach((line, i) => {
      const m = /^(\s*)(#|\/\/|--|;|\*|\/\*|<!--)(?!!)/.exec(line);
      if (!m) return;
      const comment = line.slice(m[0].length);
      for (const p of commentPlaceholders(comment)) {
        const at = this.source.codePosition(code, i, m[0].length + p.index);
        this.placeholder(at.line, at.column, p, 'in a code comment');
      }
    });
  }

  private placeholder(line: number, column: number, m: PlaceholderMatch, where: string): void {
    const shown = m.text.length > 80 ? `${m.text.slice(0, 77)}…` : m.text;
    this.report(
      line,
      column,
      LintRule.Placeholder,
      `unfilled placeholder ${JSON.stringify(shown)}${where ? ` ${where}` : ''}: replace it with the real content`,
    );
  }

  /** Hidden characters anywhere in the file (dropped conditional branches included); gate commands were done. */
  private hiddenUnicode(): void {
    const text = this.doc.originalText;
    const reported = new Set(
      this.problems.filter((p) => p.rule === LintRule.HiddenUnicode).map((p) => `${p.line}:${p.column}`),
    );
    for (const h of findHiddenChars(text)) {
      if (h.codePoint === 0x200d && isBetweenPictographs(text, h.offset)) continue;
      const at = this.source.positionAt(h.offset);
      if (reported.has(`${at.line}:${at.column}`)) continue;
      this.push(
        hiddenProblem(this.file, at.line, at.column, h.codePoint, h.name, 'the text', hiddenSeverity(h.codePoint)),
      );
    }
  }

  private confidence(): void {
    const c = this.prp.confidence;
    if (!c) return;
    if (c.outOf !== 10 || c.score < 1 || c.score > 10 || !Number.isInteger(c.score)) {
      this.report(
        c.line,
        c.column,
        LintRule.ConfidenceOutOfRange,
        `confidence score ${c.score}/${c.outOf} is out of range: write a whole number from 1 to 10, out of 10`,
        'warning',
      );
    }
  }

  /**
   * Where `word` first appears in the source lines of a command (as a whole word unless `whole` is false);
   * the command's start when it cannot be found.
   */
  private locate(
    line: number,
    endLine: number,
    column: number,
    word: string,
    whole = true,
  ): { line: number; column: number } {
    const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const re = new RegExp(whole ? `(?<![\\w./-])${escaped}(?![\\w/-])` : escaped);
    for (let l = line; l <= Math.max(line, endLine); l++) {
      const text = this.source.line(l);
      const from = l === line ? Math.max(0, column - 1) : 0;
      const m = re.exec(text.slice(from));
      if (m) return { line: l, column: from + m.index + 1 };
    }
    return { line, column };
  }
}

/** A symbolic link whose target does not exist. */
export async function isDanglingSymlink(workspace: Workspace, abs: string): Promise<boolean> {
  const st = await workspace.fs.stat(abs).catch(() => undefined);
  if (st?.type !== 'symlink') return false;
  return workspace.fs.realPath(abs).then(
    () => false,
    () => true,
  );
}

/** Whether a path exists; a symbolic link must lead to something (`stat` of the port does not follow links). */
export async function existsFollowingLinks(workspace: Workspace, abs: string): Promise<boolean> {
  const st = await workspace.fs.stat(abs);
  if (!st) return false;
  if (st.type !== 'symlink') return true;
  try {
    return (await workspace.fs.stat(await workspace.fs.realPath(abs))) !== undefined;
  } catch {
    return false;
  }
}

const PICTOGRAPH = /\p{Extended_Pictographic}/u;

/** A zero-width joiner inside an emoji sequence (👩‍💻) is part of the emoji, not hidden text. */
function isBetweenPictographs(text: string, offset: number): boolean {
  const before = text.slice(Math.max(0, offset - 3), offset).replace(/\ufe0f/g, '');
  const after = text.slice(offset + 1, offset + 3);
  return PICTOGRAPH.test(before.slice(-2)) && PICTOGRAPH.test(after);
}
