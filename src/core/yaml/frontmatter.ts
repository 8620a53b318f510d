/**
 * YAML frontmatter of markdown files (slash commands, PRPs): a first line `---`, YAML lines, and a
 * closing `---` (or `...`) line. Parsed with the safe YAML rules, positions in the markdown file.
 */
import { type Problem, problem } from '../problems';
import { parseSafeYaml, type YamlSource } from './safe-yaml';

export interface FrontmatterSplit {
  /** The YAML between the delimiters (without them); undefined when the file has no frontmatter. */
  yaml: string | undefined;
  /** 1-based line of the first YAML line (the line after the opening `---`). */
  yamlLine: number;
  /** Everything after the closing delimiter (the whole text when there is no frontmatter). */
  body: string;
  /** 1-based line where `body` starts. */
  bodyLine: number;
  /** Offset of `body` in the text. */
  bodyOffset: number;
  /** The text opens with `---` but never closes it: read as having no frontmatter. */
  unterminated: boolean;
}

const OPEN = /^\ufeff?---[ \t]*\r?\n/;

export function splitFrontmatter(text: string): FrontmatterSplit {
  const none: FrontmatterSplit = {
    yaml: undefined,
    yamlLine: 1,
    body: text,
    bodyLine: 1,
    bodyOffset: 0,
    unterminated: false,
  };
  const open = OPEN.exec(text);
  if (!open) return none;
  const yamlStart = open[0].length;
  const close = /^(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/gm;
  close.lastIndex = yamlStart;
  let m: RegExpExecArray | null;
  // The closing delimiter must start a line at or after the YAML start.
  for (;;) {
    m = close.exec(text);
    if (!m) return { ...none, unterminated: true };
    if (m.index >= yamlStart) break;
  }
  const yaml = text.slice(yamlStart, m.index);
  const bodyOffset = m.index + m[0].length;
  const linesBefore = (s: string) => s.split('\n').length - 1;
  return {
    yaml,
    yamlLine: 2,
    body: text.slice(bodyOffset),
    bodyLine: 1 + linesBefore(text.slice(0, bodyOffset)),
    bodyOffset,
    unterminated: false,
  };
}

export interface FrontmatterResult {
  /** The frontmatter mapping; `{}` when there is none; undefined when it is invalid. */
  data: Record<string, unknown> | undefined;
  source: YamlSource | undefined;
  body: string;
  bodyLine: number;
  problems: Problem[];
}

export interface FrontmatterOptions {
  /**
   * Claude Code accepts values such as `argument-hint: [pr-number] [priority]` that are not valid
   * YAML. When set, a top-level `key: value` line whose value alone does not parse is read as the
   * literal text (with a warning saying to quote it) instead of failing the whole frontmatter.
   */
  lenientScalars?: boolean;
}

/** Splits and parses the frontmatter of a markdown file. Never throws. */
export function readFrontmatter(text: string, file: string, options: FrontmatterOptions = {}): FrontmatterResult {
  const split = splitFrontmatter(text);
  const base = { body: split.body, bodyLine: split.bodyLine };
  if (split.yaml === undefined) {
    const problems = split.unterminated
      ? [
          problem(
            file,
            1,
            1,
            'frontmatter-unterminated',
            'the file starts with `---` but the frontmatter is never closed; add a `---` line after it (read as having no frontmatter)',
            'warning',
          ),
        ]
      : [];
    return { data: {}, source: undefined, ...base, problems };
  }
  const lineOffset = split.yamlLine - 1;
  let parsed = parseSafeYaml(split.yaml, file, { lineOffset });
  const extra: Problem[] = [];
  if (!parsed.value && options.lenientScalars) {
    const relaxed = quoteUnparsableScalars(split.yaml);
    if (relaxed.changedLines.length) {
      const retry = parseSafeYaml(relaxed.text, file, { lineOffset });
      if (retry.value) {
        parsed = retry;
        for (const line of relaxed.changedLines) {
          extra.push(
            problem(
              file,
              line + lineOffset,
              1,
              'frontmatter-unquoted-value',
              'this value is not valid YAML and was read as plain text; put it in quotes to make that explicit',
              'warning',
            ),
          );
        }
      }
    }
  }
  if (!parsed.value) return { data: undefined, source: undefined, ...base, problems: parsed.problems };
  const { value, source } = parsed.value;
  if (value === null) return { data: {}, source, ...base, problems: [...parsed.problems, ...extra] };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return {
      data: undefined,
      source,
      ...base,
      problems: [
        ...parsed.problems,
        source.problemAt([], 'frontmatter-not-mapping', 'frontmatter must be a mapping of `key: value` lines'),
      ],
    };
  }
  return { data: value as Record<string, unknown>, source, ...base, problems: [...parsed.problems, ...extra] };
}

/** Rewrites top-level `key: value` lines whose value does not parse on its own into single-quoted strings. */
function quoteUnparsableScalars(yaml: string): { text: string; changedLines: number[] } {
  const lines = yaml.split('\n');
  const changedLines: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^([A-Za-z_][\w-]*):[ \t]+(.*?)\r?$/.exec(lines[i]!);
    if (!m) continue;
    const value = m[2]!;
    if (!value || /^['"|>&*!#]/.test(value)) continue;
    // Only plain syntax errors are relaxed: a refused alias or tag stays an error.
    const alone = parseSafeYaml(`k: ${value}\n`, '');
    if (alone.value || alone.problems.some((p) => p.rule !== 'yaml-syntax')) continue;
    lines[i] = `${m[1]}: '${value.replace(/'/g, "''")}'`;
    changedLines.push(i + 1);
  }
  return { text: lines.join('\n'), changedLines };
}
