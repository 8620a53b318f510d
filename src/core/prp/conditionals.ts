/**
 * Conditional blocks in PRPs and templates:
 *
 *     ## IF techStack.database === 'postgresql'
 *     …
 *     ## ELSE IF 'mongodb' in techStack.databases
 *     …
 *     ## ELSE
 *     …
 *     ## ENDIF
 *
 * Directives are ATX headings of any level starting at column 0, with the keywords in capitals (`ELSEIF` and
 * `END IF` are accepted too); a heading such as `## If you need help` is ordinary text. Directives inside code
 * fences, front matter or HTML comments are not directives.
 *
 * Resolution keeps the text's shape: every character of a dropped line (directive lines included) becomes a
 * space, so offsets, lines and columns of the kept content are those of the original file.
 */
import { checkExpression, type Expr, type ExprError, evaluateExpression, isTruthy, parseExpression } from '../expr';
import { type Problem, problem } from '../problems';
import { type LineInfo, lineText, scanLines } from './lines';

export const RULE_CONDITIONAL_UNBALANCED = 'prp-conditional-unbalanced';
export const RULE_CONDITIONAL_EXPRESSION = 'prp-conditional-expression';

/** IF blocks nested deeper than this are refused (and their content dropped). */
export const MAX_CONDITIONAL_NESTING = 32;

export type DirectiveKind = 'if' | 'elseif' | 'else' | 'endif';

export interface ConditionExpression {
  text: string;
  line: number;
  /** 1-based column of the expression's first character in the file. */
  column: number;
  /** The parsed expression, when it parses. */
  ast?: Expr;
}

export interface ConditionalBranch {
  kind: 'if' | 'elseif' | 'else';
  /** Line of the directive. */
  line: number;
  expression?: ConditionExpression;
  /** First and last line of the branch's body (1-based, inclusive; `bodyEnd < bodyStart` when empty). */
  bodyStart: number;
  bodyEnd: number;
  /** Whether this branch's content is kept (only set by {@link resolveConditionals}). */
  taken?: boolean;
}

export interface ConditionalBlock {
  /** Line of the `IF`. */
  line: number;
  /** Line of the `ENDIF`; undefined when the block is never closed. */
  endLine?: number;
  branches: ConditionalBranch[];
  /** Blocks nested inside any of the branches. */
  children: ConditionalBlock[];
}

export interface Directive {
  kind: DirectiveKind;
  line: number;
  column: number;
}

export interface ConditionalStructure {
  blocks: ConditionalBlock[];
  directives: Directive[];
  problems: Problem[];
}

export interface ResolvedConditionals {
  /** The text with dropped lines blanked; same length and line structure as the input. */
  text: string;
  structure: ConditionalStructure;
  /** 1-based numbers of the dropped lines (directives included), ascending. */
  droppedLines: number[];
}

const DIRECTIVE = /^(#{1,6})[ \t]+(ELSE[ \t]+IF|ELSEIF|ENDIF|END[ \t]+IF|IF|ELSE)(?=[ \t]|$)(.*)$/;

interface ParsedDirective extends Directive {
  expression?: ConditionExpression;
  /** Text after a keyword that takes none (e.g. `## ENDIF foo`). */
  trailing?: { text: string; column: number };
}

function parseDirective(text: string, info: LineInfo): ParsedDirective | undefined {
  if (info.raw) return undefined;
  const t = lineText(text, info);
  const m = DIRECTIVE.exec(t);
  if (!m) return undefined;
  const keyword = m[2]!.replace(/[ \t]+/, ' ');
  const kind: DirectiveKind =
    keyword === 'IF'
      ? 'if'
      : keyword === 'ELSE'
        ? 'else'
        : keyword === 'ENDIF' || keyword === 'END IF'
          ? 'endif'
          : 'elseif';
  const line = info.index + 1;
  const keywordStart = m[1]!.length + /^[ \t]+/.exec(t.slice(m[1]!.length))![0].length;
  const keywordColumn = keywordStart + 1;
  // The rest of the line, without an optional closing sequence of #s.
  const restStart = keywordStart + m[2]!.length;
  const rest = t.slice(restStart).replace(/[ \t]+#+[ \t]*$/, '');
  const lead = rest.length - rest.trimStart().length;
  const body = rest.trim();
  const column = restStart + lead + 1;
  if (kind === 'if' || kind === 'elseif') {
    return { kind, line, column: keywordColumn, expression: { text: body, line, column } };
  }
  return body
    ? { kind, line, column: keywordColumn, trailing: { text: body, column } }
    : { kind, line, column: keywordColumn };
}

interface Frame {
  block: ConditionalBlock;
  /** Whether the content around this block is kept. */
  parentActive: boolean;
  /** Whether some branch of this block was already taken. */
  taken: boolean;
  /** Whether the current branch's content is kept. */
  active: boolean;
  sawElse: boolean;
  /** Deeper than the cap: everything inside is dropped. */
  refused: boolean;
}

/**
 * Finds the IF/ELSE IF/ELSE/ENDIF structure, parses and checks every expression against `scope` (all branches,
 * taken or not), and — when `evaluateBranches` — decides which branches are kept.
 */
function analyse(
  text: string,
  file: string,
  scope: object,
  evaluateBranches: boolean,
): { structure: ConditionalStructure; dropped: boolean[] } {
  const lines = scanLines(text);
  const dropped: boolean[] = new Array(lines.length).fill(false);
  const problems: Problem[] = [];
  const directives: Directive[] = [];
  const topLevel: ConditionalBlock[] = [];
  const stack: Frame[] = [];
  const active = (): boolean => (stack.length === 0 ? true : stack[stack.length - 1]!.active);

  const closeBranchAt = (frame: Frame, line: number): void => {
    const last = frame.block.branches[frame.block.branches.length - 1];
    if (last) last.bodyEnd = line - 1;
  };

  /** Parses and checks an expression; returns whether it is usable, and its truthiness when evaluated. */
  const condition = (expr: ConditionExpression, evaluateNow: boolean): boolean => {
    const report = (e: ExprError): void => {
      problems.push(
        problem(file, expr.line, expr.column + e.column - 1, RULE_CONDITIONAL_EXPRESSION, `in condition: ${e.message}`),
      );
    };
    if (!expr.text) {
      problems.push(
        problem(
          file,
          expr.line,
          expr.column,
          RULE_CONDITIONAL_EXPRESSION,
          "IF needs a condition, e.g. ## IF techStack.database === 'postgresql'",
        ),
      );
      return false;
    }
    const parsed = parseExpression(expr.text);
    if (!parsed.ok) {
      report(parsed.error);
      return false;
    }
    expr.ast = parsed.value;
    const errors = checkExpression(parsed.value, scope);
    for (const e of errors) report(e);
    if (errors.length > 0 || !evaluateNow) return false;
    const r = evaluateExpression(parsed.value, scope);
    if (!r.ok) {
      report(r.error);
      return false;
    }
    return isTruthy(r.value);
  };

  for (const info of lines) {
    const d = parseDirective(text, info);
    const lineNo = info.index + 1;
    if (!d) {
      dropped[info.index] = !active();
      continue;
    }
    dropped[info.index] = true;
    directives.push({ kind: d.kind, line: d.line, column: d.column });
    if (d.trailing) {
      problems.push(
        problem(
          file,
          d.line,
          d.trailing.column,
          RULE_CONDITIONAL_UNBALANCED,
          `unexpected text after ${d.kind === 'else' ? 'ELSE' : 'ENDIF'}: "${d.trailing.text}" (did you mean ELSE IF?)`,
        ),
      );
    }
    const top = stack[stack.length - 1];
    switch (d.kind) {
      case 'if': {
        const block: ConditionalBlock = {
          line: lineNo,
          branches: [{ kind: 'if', line: lineNo, expression: d.expression!, bodyStart: lineNo + 1, bodyEnd: lineNo }],
          children: [],
        };
        (top ? top.block.children : topLevel).push(block);
        const parentActive = active();
        const refused = stack.length >= MAX_CONDITIONAL_NESTING || (top?.refused ?? false);
        if (refused && !top?.refused) {
          problems.push(
            problem(
              file,
              lineNo,
              d.column,
              RULE_CONDITIONAL_UNBALANCED,
              `IF blocks are nested more than ${MAX_CONDITIONAL_NESTING} deep; this block is dropped`,
            ),
          );
        }
        const isTrue = refused ? false : condition(d.expression!, evaluateBranches && parentActive);
        if (evaluateBranches) block.branches[0]!.taken = parentActive && isTrue;
        stack.push({ block, parentActive, taken: isTrue, active: parentActive && isTrue, sawElse: false, refused });
        break;
      }
      case 'elseif':
      case 'else': {
        const name = d.kind === 'else' ? 'ELSE' : 'ELSE IF';
        if (!top) {
          problems.push(
            problem(file, lineNo, d.column, RULE_CONDITIONAL_UNBALANCED, `${name} without a matching IF above it`),
          );
          if (d.expression?.text) condition(d.expression, false);
          break;
        }
        if (top.sawElse) {
          problems.push(
            problem(
              file,
              lineNo,
              d.column,
              RULE_CONDITIONAL_UNBALANCED,
              `${name} after the ELSE of the IF on line ${top.block.line}: ELSE must come last`,
            ),
          );
        }
        closeBranchAt(top, lineNo);
        top.block.branches.push({
          kind: d.kind,
          line: lineNo,
          ...(d.expression ? { expression: d.expression } : {}),
          bodyStart: lineNo + 1,
          bodyEnd: lineNo,
        });
        let isTrue: boolean;
        if (d.kind === 'else') {
          isTrue = !top.taken && !top.sawElse;
          top.sawElse = true;
        } else {
          const mayTake = !top.taken && !top.sawElse && !top.refused;
          const value = top.refused ? false : condition(d.expression!, evaluateBranches && top.parentActive && mayTake);
          isTrue = mayTake && value;
        }
        isTrue = isTrue && !top.refused;
        top.active = top.parentActive && isTrue;
        if (evaluateBranches) top.block.branches[top.block.branches.length - 1]!.taken = top.active;
        top.taken ||= isTrue;
        break;
      }
      case 'endif': {
        if (!top) {
          problems.push(problem(file, lineNo, d.column, RULE_CONDITIONAL_UNBALANCED, 'ENDIF without a matching IF'));
          break;
        }
        closeBranchAt(top, lineNo);
        top.block.endLine = lineNo;
        stack.pop();
        break;
      }
    }
  }

  for (const open of stack) {
    closeBranchAt(open, lines.length + 1);
    problems.push(
      problem(
        file,
        open.block.line,
        1,
        RULE_CONDITIONAL_UNBALANCED,
        `IF on line ${open.block.line} is never closed: add "## ENDIF" where the block ends`,
      ),
    );
  }

  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return { structure: { blocks: topLevel, directives, problems }, dropped };
}

/** The raw conditional structure with every expression parsed and checked, nothing evaluated. For lint and editors. */
export function scanConditionals(text: string, file: string, scope: object): ConditionalStructure {
  return analyse(text, file, scope, false).structure;
}

/** Resolves the conditional blocks against `scope` (e.g. the project facts). */
export function resolveConditionals(text: string, file: string, scope: object): ResolvedConditionals {
  const { structure, dropped } = analyse(text, file, scope, true);
  const droppedLines: number[] = [];
  if (!dropped.includes(true)) return { text, structure, droppedLines };
  const lines = scanLines(text);
  const parts: string[] = [];
  let cursor = 0;
  for (const info of lines) {
    if (!dropped[info.index]) continue;
    droppedLines.push(info.index + 1);
    parts.push(text.slice(cursor, info.start), ' '.repeat(info.end - info.start));
    cursor = info.end;
  }
  parts.push(text.slice(cursor));
  return { text: parts.join(''), structure, droppedLines };
}
