/**
 * The words the agent gets. Three layers, ordered for the prompt cache (tools → system → messages):
 * 1. the **system prompt** — short and stable (no dates, paths or run ids), identical for every step;
 * 2. the **context block** — the first block of the first user turn: CLAUDE.md, the PRP being created or
 *    executed, its docfiles, the PRP template, the project snapshot; stable for the whole conversation;
 * 3. the **task** — the slash command's markdown with `$ARGUMENTS`/`$1…` expanded (one pass, literal), plus a
 *    short harness note; later turns are tool results and, between rounds, the harness's evidence.
 * Tools, system and context each carry a cache breakpoint; the conversation tail uses automatic caching.
 */

export const SYSTEM_PROMPT = [
  'You are the coding agent of Codex Context Forge. You work on the project in the current directory through the',
  'tools you are given; paths are relative to the project root.',
  '',
  'How you work:',
  '- Follow CLAUDE.md (in the project context below) and the task in the user turn. Read before you change: find',
  '  the existing pattern and follow it.',
  '- Change files with edit_file (small exact replacements) or write_file (new or whole files). Keep changes inside',
  '  the task.',
  '- A permission policy outside your control decides every tool call. A refused call comes back as an error with',
  '  the reason: do not try to reach the same effect another way; say what you needed instead.',
  '- You never decide whether validation gates pass. The harness runs them after you stop and sends you what',
  '  failed. Do not write that tests or gates pass.',
  '- When the task is done, stop and summarise briefly: files changed, what each change does, open questions.',
].join('\n');

export interface ContextDocument {
  kind: 'claude-md' | 'prp' | 'docfile' | 'template' | 'snapshot';
  /** Project-relative path, when the document is a file. */
  path?: string;
  text: string;
  /** The text was cut to fit. */
  truncated?: boolean;
}

const TAGS: Record<ContextDocument['kind'], string> = {
  'claude-md': 'claude-md',
  prp: 'prp',
  docfile: 'docfile',
  template: 'prp-template',
  snapshot: 'project-snapshot',
};

/** Attribute value safe inside `"…"`. */
function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export function renderContextBlock(docs: readonly ContextDocument[]): string {
  const parts = ['<project-context>'];
  for (const d of docs) {
    const tag = TAGS[d.kind];
    const attrs = `${d.path ? ` path="${attr(d.path)}"` : ''}${d.truncated ? ' truncated="true"' : ''}`;
    parts.push(`<${tag}${attrs}>`, d.text.replace(/\s+$/, ''), `</${tag}>`);
  }
  parts.push('</project-context>');
  return parts.join('\n');
}

/** The harness's note after the command text: what it will do after the agent stops. */
export function harnessNote(
  command: string,
  details: { prp?: string; prpTarget?: string; template?: string; templateMissing?: boolean },
): string | undefined {
  if (command === 'prp-execute' && details.prp) {
    return [
      `Harness note: ${details.prp} is in the project context above and is read-only during this run — its`,
      'Validation Loop gates your work. Implement the tasks, then stop. The harness runs the validation levels and',
      'sends you any failures.',
    ].join('\n');
  }
  if (command === 'prp-create' && details.prpTarget) {
    const from = details.template
      ? details.templateMissing
        ? ` (the configured template ${details.template} does not exist in this project; use the structure of a complete PRP)`
        : `, starting from the template ${details.template} (in the project context above)`
      : '';
    return [
      `Harness note: write the PRP to ${details.prpTarget}${from}. When you stop, the harness lints it and sends you`,
      'any findings to fix.',
    ].join('\n');
  }
  return undefined;
}

/** The next round's user turn in an `implement` step: the harness's evidence of what failed. */
export function feedbackTurn(feedback: string, round: number): string {
  return [
    `The harness ran the validation gates after your round ${round - 1}. Failed:`,
    '',
    feedback.trim(),
    '',
    'Find and fix the cause in the code (not in the tests or the PRP), then stop. The harness will run the gates again.',
  ].join('\n');
}

/** Lint findings for `/prp-create`, as the next user turn. */
export function lintTurn(prp: string, findings: readonly string[], round: number, rounds: number): string {
  return [
    `The harness linted ${prp} (round ${round} of ${rounds}). It must pass before the PRP can be used:`,
    '',
    ...findings.map((f) => `- ${f}`),
    '',
    `Fix every finding in ${prp} (edit_file), then stop.`,
  ].join('\n');
}

/** A continuation without evidence (e.g. the run was parked and resumed). */
export const CONTINUE_TURN =
  'The run was interrupted and has been resumed. Continue the task from where you stopped, then stop.';
