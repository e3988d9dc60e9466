/**
 * What snapgate remembers about problems it has told people of, per connection and problem (records port):
 * an open alert (a failed scheduled backup, a missing backup, a failed verification or rehearsal) or the
 * drift last posted. It is what keeps the same problem from being posted twice in a row, spaces the
 * repeats of a missing-backup alert, and names the Slack thread a "resolved" reply goes to.
 */
import type { SlackMessageRef } from './backups.ts';

export interface WatchState {
  connection: string;
  /** the problem: an alert kind (`backup-failed`, `backup-missing`, …) or `drift` */
  problem: string;
  /** what makes two occurrences "the same": a failure code, a plan hash, a backup id and its bad copies */
  fingerprint: string;
  /** when it was first posted */
  raisedAt: Date;
  /** when it was last posted (the first post or a repeat) */
  notifiedAt: Date;
  /** how many repeats have been posted since the first */
  repeats: number;
  /** the message posted first, whose thread gets repeats and the "resolved" reply; null if not posted */
  slack: SlackMessageRef | null;
}

export interface WatchStateRepository {
  get(connection: string, problem: string): Promise<WatchState | null>;
  /** inserts, or replaces the state of the same connection and problem */
  put(state: WatchState): Promise<void>;
  /** forgets the problem; true when there was one */
  remove(connection: string, problem: string): Promise<boolean>;
  /** every remembered problem of the connection, oldest first */
  listByConnection(connection: string): Promise<WatchState[]>;
}
