/**
 * Finding executables: how lint decides whether a gate command's program exists. Implemented by
 * `src/node/node-program-resolver.ts` (the PATH, with the executable bit checked) and by fakes in unit tests.
 */
export interface ProgramResolver {
  /** The absolute path of an executable named `name` on the search path (`PATH`), or undefined. */
  which(name: string): Promise<string | undefined>;
  /** Whether `absolutePath` is a file the current user may execute. */
  isExecutable(absolutePath: string): Promise<boolean>;
}
