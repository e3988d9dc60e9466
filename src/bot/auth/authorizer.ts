/**
 * Decides what a Slack user may do on a connection, at the moment they ask: roles come from the frozen
 * config, group membership from Slack (cached briefly). Checked on every command and every click.
 */
import { lookupConnection } from '../../app/services.ts';
import type { Config, ConnectionConfig, Role } from '../../config/index.ts';
import { isUsergroupId, ROLES, roleIncludes } from './roles.ts';
import type { UsergroupDirectory } from './usergroups.ts';

export type AuthDecision =
  | { ok: true; role: Role | null }
  | { ok: false; held: Role | null; needed: Role; message: string };

export class Authorizer {
  constructor(
    private readonly config: Config,
    private readonly groups: UsergroupDirectory,
  ) {}

  connection(name: string): ConnectionConfig | undefined {
    return lookupConnection(this.config, name);
  }

  /** The highest role the user holds on the connection, directly or through a user group. */
  async roleOn(userId: string, connection: ConnectionConfig): Promise<Role | null> {
    for (const role of [...ROLES].reverse()) {
      for (const principal of connection.roles[role] ?? []) {
        if (principal === userId) return role;
        if (isUsergroupId(principal) && (await this.groups.isMember(principal, userId))) return role;
      }
    }
    return null;
  }

  async check(userId: string, connectionName: string, needed: Role): Promise<AuthDecision> {
    const connection = this.connection(connectionName);
    if (!connection) {
      const known = this.config.connections.map((c) => `\`${c.name}\``).join(', ');
      const message = `There is no connection \`${connectionName}\`. Known: ${known || 'none'} (\`/kong connections\`).`;
      return { ok: false, held: null, needed, message };
    }
    const held = await this.roleOn(userId, connection);
    if (roleIncludes(held, needed)) return { ok: true, role: held };
    const have = held ? `you are ${article(held)} ${held}` : 'you have no role there';
    return {
      ok: false,
      held,
      needed,
      message:
        `This needs the *${needed}* role on \`${connection.name}\`; ${have}. ` +
        'An admin can grant it in snapgate.yml (`roles`).',
    };
  }

  /** True when the user is an admin of at least one connection (unfiltered audit queries). */
  async isAdminAnywhere(userId: string): Promise<boolean> {
    for (const c of this.config.connections) {
      if ((await this.roleOn(userId, c)) === 'admin') return true;
    }
    return false;
  }
}

const article = (role: Role) => (role === 'admin' || role === 'approver' || role === 'operator' ? 'an' : 'a');
