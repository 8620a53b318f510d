/**
 * Gate output parsing: problem matchers (VS Code semantics) and structured parsers that turn a gate command's
 * output into diagnostics and failing test names, plus failure classification and GitHub annotations.
 */
export * from './builtin-matchers';
export * from './classify-failure';
export { type CompiledMatcher, compileMatcher, compileMatchers, MatcherSpecError } from './compile-matcher';
export * from './diagnostic';
export * from './failing-tests';
export type { FileLocationKind } from './file-location';
export * from './github-annotations';
export * from './matcher-session';
export * from './matcher-spec';
export * from './pick-matchers';
export { severityFromValue } from './severity';
