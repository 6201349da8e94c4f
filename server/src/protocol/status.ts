// The `kubeglass/status` notification: what the editor shows in its status bar about the
// workspace index. Direction: server -> client. Trigger: after each diagnostics publication pass
// (so the counts agree with the Problems panel), and once after the workspace scan even when it
// published nothing. JSON only.

export type StatusMethod = 'kubeglass/status';
export const STATUS_METHOD: StatusMethod = 'kubeglass/status';

export interface StatusParams {
  /** Kubernetes objects in the index (every document of every manifest file). */
  readonly objects: number;
  /** Manifest files in the index (open documents and files read from the workspace folders). */
  readonly files: number;
  /** Published diagnostics of severity error, over all files. */
  readonly errors: number;
  /** Published diagnostics of severity warning, over all files. */
  readonly warnings: number;
  /**
   * True while the workspace folders are still being read (the counts are partial); false once the
   * scan is done (and in every later status).
   */
  readonly scanning: boolean;
}
