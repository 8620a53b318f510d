/**
 * The approval-store port: where the user's approvals of a project's own commands are remembered. Implemented
 * by `src/node/approval-store.ts` (a JSON file in the user's config directory, never inside a project) and by
 * in-memory fakes in tests. Keys are a project's canonical path and the SHA-256 of a command's exact text, so a
 * changed command, or the same command in another project, is a new approval.
 */
export interface StoredApproval {
  /** `sha256:<hex>` of the exact command text (`commandHash`). */
  hash: string;
  /** The command text, kept so the user can review what they approved. */
  command: string;
  /** ISO 8601. */
  approvedAt: string;
}

export interface ApprovalStore {
  /** Where approvals are kept, for messages ("approvals are kept in …"). */
  readonly location: string;
  /** Hashes approved for the project at `projectKey` (its canonical path). */
  approvedHashes(projectKey: string): Promise<ReadonlySet<string>>;
  /** Remembers approvals; atomic (readers see the old or the new file), merged with concurrent writers. */
  remember(projectKey: string, approvals: readonly StoredApproval[]): Promise<void>;
}
