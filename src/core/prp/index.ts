/** PRP files: reading them into a model, their conditional blocks, and listing a project's PRPs. */
export type { SplitCommand, SplitResult } from './commands';
export { splitShellCommands } from './commands';
export type {
  ConditionalBlock,
  ConditionalBranch,
  ConditionalStructure,
  ConditionExpression,
  Directive,
  ResolvedConditionals,
} from './conditionals';
export {
  MAX_CONDITIONAL_NESTING,
  RULE_CONDITIONAL_EXPRESSION,
  RULE_CONDITIONAL_UNBALANCED,
  resolveConditionals,
  scanConditionals,
} from './conditionals';
export { isLevelHeading, SHELL_LANGS } from './levels';
export type { PrpEntry, PrpListing, PrpStatus } from './list-prps';
export { listPrps, PRPS_DIR, RULE_UNREADABLE_PRP } from './list-prps';
export type { MarkdownPlan } from './markdown';
export {
  MARKDOWN_LIMITS,
  parseMarkdown,
  planMarkdown,
  prescanMarkdown,
  RULE_MARKDOWN_TOO_COMPLEX,
  walk,
} from './markdown';
export type * from './model';
export type { ParsePrpOptions, PrpDocument } from './read-prp';
export {
  hiddenProblem,
  parsePrp,
  parsePrpDocument,
  RULE_FILE_NOT_FOUND,
  RULE_HIDDEN_UNICODE,
  RULE_PATH_OUTSIDE_PROJECT,
  readPrp,
  readPrpDocument,
} from './read-prp';
export { normalizeHeading, sectionKind } from './sections';
export { plainText, Source } from './source';
export { TASK_ACTIONS } from './tasks';
export { extractTitle } from './title';
