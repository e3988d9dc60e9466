/**
 * Workspaces (Kong Enterprise): a backup belongs to the workspace it was dumped from and is restored to
 * that workspace only. A gateway reached without a workspace prefix serves `default` (and a community
 * gateway has no other), so no workspace and `default` are the same place.
 */

/** The workspace a dump or connection means: `default` when none is named. */
export function workspaceName(workspace: string | null | undefined): string {
  return workspace ? workspace : 'default';
}

/**
 * Why a backup of `backupWorkspace` must not be restored onto a gateway reached in `gatewayWorkspace`,
 * or null when they are the same workspace.
 */
export function workspaceMismatch(
  backupWorkspace: string | null | undefined,
  gatewayWorkspace: string | null | undefined,
): string | null {
  const from = workspaceName(backupWorkspace);
  const to = workspaceName(gatewayWorkspace);
  if (from === to) return null;
  return `the backup holds workspace "${from}" but the connection reaches workspace "${to}"; a backup is restored only into its own workspace (set the connection's workspace to "${from}")`;
}
