/**
 * Members of Slack user groups, resolved with `usergroups.users.list` (Tier 2, `usergroups:read`) and
 * cached briefly: long enough that a burst of commands costs one call per group, short enough that
 * removing someone from a group takes effect within a minute. The clock is injected so tests can move it.
 */

export interface UsergroupDirectoryOptions {
  /** Calls Slack; rejects when the group cannot be read (`no_such_subteam`, `plan_upgrade_required`). */
  listMembers(groupId: string): Promise<readonly string[]>;
  /** Milliseconds since the epoch. */
  now(): number;
  ttlMs?: number;
  /** Told when a group cannot be read; that group then grants nothing until the next try. */
  onError?(groupId: string, err: unknown): void;
}

export const DEFAULT_USERGROUP_TTL_MS = 60_000;

interface Entry {
  at: number;
  members: Promise<ReadonlySet<string>>;
}

export class UsergroupDirectory {
  private readonly cache = new Map<string, Entry>();
  private readonly ttlMs: number;

  constructor(private readonly options: UsergroupDirectoryOptions) {
    this.ttlMs = options.ttlMs ?? DEFAULT_USERGROUP_TTL_MS;
  }

  /** The group's members; concurrent callers share one request. */
  members(groupId: string): Promise<ReadonlySet<string>> {
    const now = this.options.now();
    const hit = this.cache.get(groupId);
    if (hit && now - hit.at < this.ttlMs) return hit.members;
    const members = this.options.listMembers(groupId).then(
      (ids) => new Set(ids),
      (err: unknown) => {
        // A failed lookup is not cached: the next command asks Slack again.
        this.cache.delete(groupId);
        this.options.onError?.(groupId, err);
        return new Set<string>();
      },
    );
    this.cache.set(groupId, { at: now, members });
    return members;
  }

  async isMember(groupId: string, userId: string): Promise<boolean> {
    return (await this.members(groupId)).has(userId);
  }
}
