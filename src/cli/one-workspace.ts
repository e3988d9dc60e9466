/**
 * decK files hold one workspace (`_workspace`), so a multi-workspace snapshot (a Kong Enterprise
 * connection with `workspaces`) is written one workspace at a time: `--workspace NAME` picks it.
 */
import { type Snapshot, splitWorkspaces } from '../core/index.ts';
import { CliError } from './errors.ts';

export function oneWorkspace(snapshot: Snapshot, workspace: string | undefined, flag: string): Snapshot {
  if (!snapshot.meta.workspaces) {
    if (workspace !== undefined && workspace !== (snapshot.meta.workspace ?? 'default')) {
      throw new CliError(
        `the backup holds workspace "${snapshot.meta.workspace ?? 'default'}" only, not "${workspace}"`,
      );
    }
    return snapshot;
  }
  const names = Object.keys(snapshot.meta.workspaces);
  if (workspace === undefined) {
    throw new CliError(
      `the backup holds workspaces ${names.join(', ')}; a decK file holds one: pass ${flag} <name>`,
    );
  }
  const one = splitWorkspaces(snapshot).get(workspace);
  if (!one) throw new CliError(`the backup holds workspaces ${names.join(', ')}, not "${workspace}"`);
  return one;
}
