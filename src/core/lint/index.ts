/** PRP lint: rules, the linter, and the pieces it is built from. */
export type { Invocation } from './gate-programs';
export { invocationsOf, SHELL_BUILTINS } from './gate-programs';
export type { LintOptions, LintReport } from './lint-prp';
export { lintPrp } from './lint-prp';
export type { PlaceholderMatch } from './placeholders';
export { commandPlaceholders, commentPlaceholders, pathPlaceholders, prosePlaceholders } from './placeholders';
export type { ProgramFinding } from './program-check';
export { makeTargets, ProgramChecker } from './program-check';
export type { RuleDescriptor } from './rules';
export { LINT_RULES, LintRule } from './rules';
