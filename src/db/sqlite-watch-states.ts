/** WatchStateRepository over SQLite: one row per connection and problem, replaced in place. */
import { and, asc, eq } from 'drizzle-orm';
import type { WatchState, WatchStateRepository } from '../app/ports/watch-states.ts';
import type { Db } from './database.ts';
import { watchStates } from './schema.ts';

type Row = typeof watchStates.$inferSelect;

export function toWatchState(r: Row): WatchState {
  return {
    connection: r.connection,
    problem: r.problem,
    fingerprint: r.fingerprint,
    raisedAt: r.raisedAt,
    notifiedAt: r.notifiedAt,
    repeats: r.repeats,
    slack: r.slackChannel && r.slackTs ? { channel: r.slackChannel, ts: r.slackTs } : null,
  };
}

export function watchRow(s: WatchState): Row {
  return {
    connection: s.connection,
    problem: s.problem,
    fingerprint: s.fingerprint,
    raisedAt: s.raisedAt,
    notifiedAt: s.notifiedAt,
    repeats: s.repeats,
    slackChannel: s.slack?.channel ?? null,
    slackTs: s.slack?.ts ?? null,
  };
}

export class SqliteWatchStateRepository implements WatchStateRepository {
  constructor(private readonly db: Db) {}

  private where(connection: string, problem: string) {
    return and(eq(watchStates.connection, connection), eq(watchStates.problem, problem));
  }

  async get(connection: string, problem: string): Promise<WatchState | null> {
    const row = this.db.orm.select().from(watchStates).where(this.where(connection, problem)).get();
    return row ? toWatchState(row) : null;
  }

  async put(state: WatchState): Promise<void> {
    const row = watchRow(state);
    this.db.orm
      .insert(watchStates)
      .values(row)
      .onConflictDoUpdate({ target: [watchStates.connection, watchStates.problem], set: row })
      .run();
  }

  async remove(connection: string, problem: string): Promise<boolean> {
    return this.db.orm.delete(watchStates).where(this.where(connection, problem)).run().changes > 0;
  }

  async listByConnection(connection: string): Promise<WatchState[]> {
    return this.db.orm
      .select()
      .from(watchStates)
      .where(eq(watchStates.connection, connection))
      .orderBy(asc(watchStates.raisedAt), asc(watchStates.problem))
      .all()
      .map(toWatchState);
  }
}
