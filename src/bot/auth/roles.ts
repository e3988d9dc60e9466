/**
 * Roles per connection, lowest first. Each role includes every role below it, so `roles.operator` in
 * snapgate.yml lists the people who may take backups, and approvers and admins may too:
 *
 *   viewer    list and show backups, status, audit of that connection
 *   operator  + backup, diff, verify, ask for a restore
 *   approver  + approve or reject someone else's restore
 *   admin     + break-glass, audit across every connection
 *
 * `help` and `connections` need no role. A connection with no roles configured grants nothing:
 * default deny, as chat-ops access grants do (Nautobot ChatOps access grants, Errbot ACLs).
 */
import type { ConnectionConfig, Role } from '../../config/index.ts';
import type { CommandName } from '../grammar/index.ts';

export const ROLES: readonly Role[] = ['viewer', 'operator', 'approver', 'admin'];

export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

/** True when holding `held` is enough for something that needs `needed`. */
export function roleIncludes(held: Role | null, needed: Role): boolean {
  return held !== null && roleRank(held) >= roleRank(needed);
}

/** The role each command needs on its connection; `null` = anyone in the workspace. */
export const COMMAND_ROLES: Readonly<Record<CommandName, Role | null>> = Object.freeze({
  help: null,
  connections: null,
  backups: 'viewer',
  show: 'viewer',
  rehearsals: 'viewer',
  status: 'viewer',
  // audit: viewer on the filtered connection, admin on any connection when unfiltered (handlers/audit.ts)
  audit: 'viewer',
  backup: 'operator',
  diff: 'operator',
  drift: 'operator',
  verify: 'operator',
  restore: 'operator',
  cancel: 'operator',
  approve: 'approver',
  reject: 'approver',
});

/** Slack user-group ids start with `S`; user ids with `U` (or `W` on Enterprise Grid). */
export function isUsergroupId(principal: string): boolean {
  return principal.startsWith('S');
}

/** The principals that grant `role` or anything above it on a connection. */
export function principalsFor(connection: ConnectionConfig, role: Role): string[] {
  return ROLES.filter((r) => roleRank(r) >= roleRank(role)).flatMap((r) => connection.roles[r] ?? []);
}
