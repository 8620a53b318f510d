/**
 * GNU-style option scanning for the commands the policy understands: which words are options (and their
 * values) and which are operands. Non-literal words are kept as operands with `literal: undefined`, so a caller
 * can never mistake `$X` (which might expand to `--output=…`) for a harmless file name.
 */
import type { ShellWord } from './shell-analysis';

export interface OptionSpec {
  /** Short option letters that take a value (`-n 5`, `-n5`). */
  shortValued?: string;
  /** Long option names (without `--`) that take a value (`--lines 5`, `--lines=5`). */
  longValued?: readonly string[];
  /** Stop at the first operand (POSIX order; `find`, interpreters), instead of GNU permutation. */
  stopAtOperand?: boolean;
}

export interface ScannedOption {
  /** `-n`, `--lines`, or the whole word for a non-literal word that looks like an option. */
  name: string;
  value?: ShellWord | string;
  word: ShellWord;
}

export interface Scanned {
  options: ScannedOption[];
  operands: ShellWord[];
  /** Words whose role could not be determined (non-literal words starting with `-`). */
  unknown: ShellWord[];
}

/** Splits `args` (the words after the command name) into options and operands. */
export function scanOptions(args: readonly ShellWord[], spec: OptionSpec = {}): Scanned {
  const out: Scanned = { options: [], operands: [], unknown: [] };
  const shortValued = spec.shortValued ?? '';
  const longValued = new Set(spec.longValued ?? []);
  let onlyOperands = false;
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    const value = word.literal;
    if (onlyOperands || word.home) {
      out.operands.push(word);
      continue;
    }
    if (value === undefined) {
      // `$X`, globs…: an operand, unless it is written to look like an option (then nobody can tell).
      if (word.text.startsWith('-')) out.unknown.push(word);
      else out.operands.push(word);
      if (spec.stopAtOperand && !word.text.startsWith('-')) onlyOperands = true;
      continue;
    }
    if (value === '--') {
      onlyOperands = true;
      continue;
    }
    if (value.startsWith('--')) {
      const eq = value.indexOf('=');
      const name = eq === -1 ? value : value.slice(0, eq);
      if (eq !== -1) out.options.push({ name, value: value.slice(eq + 1), word });
      else if (longValued.has(name.slice(2)) && i + 1 < args.length) {
        out.options.push({ name, value: args[i + 1]!, word });
        i++;
      } else out.options.push({ name, word });
      continue;
    }
    if (value.startsWith('-') && value.length > 1) {
      for (let k = 1; k < value.length; k++) {
        const letter = value[k]!;
        if (shortValued.includes(letter)) {
          const rest = value.slice(k + 1);
          if (rest !== '') out.options.push({ name: `-${letter}`, value: rest, word });
          else if (i + 1 < args.length) {
            out.options.push({ name: `-${letter}`, value: args[i + 1]!, word });
            i++;
          } else out.options.push({ name: `-${letter}`, word });
          break;
        }
        out.options.push({ name: `-${letter}`, word });
      }
      continue;
    }
    out.operands.push(word);
    if (spec.stopAtOperand) onlyOperands = true;
  }
  return out;
}

/** The literal value of an option's value, whichever way it was written. */
export function optionValue(o: ScannedOption): string | undefined {
  if (o.value === undefined) return undefined;
  return typeof o.value === 'string' ? o.value : o.value.literal;
}

/** A word for an option value given inline (`--output=x`, `-ox`), positioned on its option word. */
export function valueWord(o: ScannedOption): ShellWord | undefined {
  if (o.value === undefined) return undefined;
  if (typeof o.value !== 'string') return o.value;
  return {
    text: o.value,
    literal: o.word.literal === undefined ? undefined : o.value,
    start: o.word.start,
    end: o.word.end,
  };
}
