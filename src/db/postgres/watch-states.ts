/** WatchStateRepository over PostgreSQL: the SQLite repository's statements, awaited. */
import { and, asc, eq } from 'drizzle-orm';
import type { WatchState, WatchStateRepository } from '../../app/ports/watch-states.ts';
import type { PgDb, PgOrm } from './database.ts';
import { watchStates } from './schema.ts';

type Row = typeof watchStates.$inferSelect;

function toWatchState(r: Row): WatchState {
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

export class PostgresWatchStateRepository implements WatchStateRepository {
  private readonly orm: PgOrm;

  constructor(db: PgDb) {
    this.orm = db.orm;
  }

  private where(connection: string, problem: string) {
    return and(eq(watchStates.connection, connection), eq(watchStates.problem, problem));
  }

  async get(connection: string, problem: string): Promise<WatchState | null> {
    const [row] = await this.orm.select().from(watchStates).where(this.where(connection, problem));
    return row ? toWatchState(row) : null;
  }

  async put(state: WatchState): Promise<void> {
    const row: Row = {
      connection: state.connection,
      problem: state.problem,
      fingerprint: state.fingerprint,
      raisedAt: state.raisedAt,
      notifiedAt: state.notifiedAt,
      repeats: state.repeats,
      slackChannel: state.slack?.channel ?? null,
      slackTs: state.slack?.ts ?? null,
    };
    await this.orm
      .insert(watchStates)
      .values(row)
      .onConflictDoUpdate({ target: [watchStates.connection, watchStates.problem], set: row });
  }

  async remove(connection: string, problem: string): Promise<boolean> {
    const gone = await this.orm
      .delete(watchStates)
      .where(this.where(connection, problem))
      .returning({ c: watchStates.connection });
    return gone.length > 0;
  }

  async listByConnection(connection: string): Promise<WatchState[]> {
    const rows = await this.orm
      .select()
      .from(watchStates)
      .where(eq(watchStates.connection, connection))
      .orderBy(asc(watchStates.raisedAt), asc(watchStates.problem));
    return rows.map(toWatchState);
  }
}
