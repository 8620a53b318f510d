/** The CLI's exit codes: a contract users' scripts and CI rely on. */
export const ExitCode = {
  /** Everything asked for worked. */
  Ok: 0,
  /** The thing checked failed: lint errors, a gate failed, a run failed. */
  Failed: 1,
  /** Bad usage or invalid input files. */
  Usage: 2,
  /** Interrupted (SIGINT). */
  Interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
