/**
 * Slash commands kept from their ack until their work is done, so a serve that dies in between loses none.
 *
 * Slack never redelivers a slash command it saw acked, and the ack comes first (within 3 seconds, before
 * any database or Kong work). So between the ack and the end of the command's work (a backup's record and
 * job created, the answer sent) the command lived only in the serve's memory: killed there, it was gone,
 * and the person who typed it saw nothing happen. Now each command is written to an inbox shared by every
 * instance (a Redis hash under the installation's prefix) just before the ack, and removed when its work
 * is done. Every serve keeps a heartbeat key alive while it runs and, every few seconds, takes over the
 * commands of instances whose heartbeat has expired (`HDEL` decides which instance gets each one), runs
 * them as if they had just arrived, and answers the person with an ephemeral message (the original
 * `response_url` is not kept: it is a credential to post into the channel). A command older than the
 * dedup window (15 minutes) is dropped with a log line instead: its answer would come too late to mean
 * anything.
 *
 * What a re-run may repeat is made harmless by the handlers: `/kong backup` derives its backup id from the
 * command's `trigger_id`, so a re-run finds the record an earlier run created; restores allow one open
 * request per connection; everything else reads.
 *
 * The inbox holds what the person typed and who they are (no token, no `response_url`) for at most the
 * time the command runs.
 */
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** The parts of a slash command a re-run needs (nothing that is a credential). */
export interface HeldCommandFields {
  command: string;
  text: string;
  user_id: string;
  channel_id: string;
  team_id?: string;
  trigger_id?: string;
}

export interface HeldCommand {
  /** the inbox field: a digest of the request identity */
  id: string;
  /** the instance that acked it */
  owner: string;
  /** ms since the epoch */
  heldAt: number;
  fields: HeldCommandFields;
}

export interface CommandInbox {
  /** This instance's name in the inbox (host, pid and a random part). */
  readonly owner: string;
  /** Keeps the command until `release`; resolves with its inbox id, or null when it could not be kept. */
  hold(fields: HeldCommandFields): Promise<string | null>;
  release(id: string): Promise<void>;
  /** Marks this instance alive; call at least every `aliveMs / 3`. */
  heartbeat(): Promise<void>;
  /**
   * Commands whose owner stopped (no heartbeat) and that were held at least `graceMs` ago, each taken by
   * exactly one caller (removed from the inbox as it is taken); commands too old to act on are dropped
   * and returned in `expired`.
   */
  takeOrphans(): Promise<{ taken: HeldCommand[]; expired: HeldCommand[] }>;
  /** Stops claiming to be alive (a clean shutdown: nothing of ours is left to take over). */
  leave(): Promise<void>;
}

/** The Redis commands the inbox uses (ioredis). */
export interface InboxRedis {
  hset(key: string, field: string, value: string): Promise<number>;
  hdel(key: string, field: string): Promise<number>;
  hgetall(key: string): Promise<Record<string, string>>;
  set(key: string, value: string, px: 'PX', ms: number): Promise<unknown>;
  exists(key: string): Promise<number>;
  del(key: string): Promise<number>;
}

export interface InboxOptions {
  prefix: string;
  /** how long a heartbeat keeps an instance alive (default 15 s) */
  aliveMs?: number;
  /** a command is left to its owner for at least this long (default 10 s) */
  graceMs?: number;
  /** older commands are dropped, not run (default 15 minutes, the dedup window) */
  maxAgeMs?: number;
  now?: () => number;
  owner?: string;
}

function digest(identity: string): string {
  return createHash('sha256').update(identity).digest('hex').slice(0, 32);
}

function parse(id: string, raw: string): HeldCommand | null {
  try {
    const v = JSON.parse(raw) as Partial<HeldCommand>;
    if (typeof v.owner !== 'string' || typeof v.heldAt !== 'number' || !v.fields) return null;
    return { id, owner: v.owner, heldAt: v.heldAt, fields: v.fields };
  } catch {
    return null;
  }
}

export function redisCommandInbox(redis: InboxRedis, o: InboxOptions): CommandInbox {
  const now = o.now ?? Date.now;
  const aliveMs = o.aliveMs ?? 15_000;
  const graceMs = o.graceMs ?? 10_000;
  const maxAgeMs = o.maxAgeMs ?? 15 * 60_000;
  const owner = o.owner ?? `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
  const inboxKey = `${o.prefix}:slack-inbox`;
  const aliveKey = (who: string) => `${o.prefix}:serve-alive:${who}`;
  return {
    owner,
    async hold(fields) {
      const identity = fields.trigger_id
        ? `trigger:${fields.trigger_id}`
        : `command:${fields.user_id}:${fields.channel_id}:${fields.text}:${now()}`;
      const id = digest(identity);
      const entry = { owner, heldAt: now(), fields };
      await redis.hset(inboxKey, id, JSON.stringify(entry));
      return id;
    },
    async release(id) {
      await redis.hdel(inboxKey, id);
    },
    async heartbeat() {
      await redis.set(aliveKey(owner), String(now()), 'PX', aliveMs);
    },
    async takeOrphans() {
      const all = await redis.hgetall(inboxKey);
      const taken: HeldCommand[] = [];
      const expired: HeldCommand[] = [];
      const ownersAlive = new Map<string, boolean>();
      for (const [id, raw] of Object.entries(all)) {
        const held = parse(id, raw);
        if (!held) {
          await redis.hdel(inboxKey, id); // not ours to read: nothing can be done with it
          continue;
        }
        const age = now() - held.heldAt;
        if (age < graceMs) continue;
        if (held.owner === owner) continue; // our own: still running here
        let alive = ownersAlive.get(held.owner);
        if (alive === undefined) {
          alive = (await redis.exists(aliveKey(held.owner))) === 1;
          ownersAlive.set(held.owner, alive);
        }
        if (alive) continue;
        // whoever deletes the field takes the command: exactly one instance
        if ((await redis.hdel(inboxKey, id)) !== 1) continue;
        (age > maxAgeMs ? expired : taken).push(held);
      }
      return { taken, expired };
    },
    async leave() {
      await redis.del(aliveKey(owner));
    },
  };
}
