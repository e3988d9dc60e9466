/**
 * RehearsalRepository over SQLite. One running rehearsal per scratch target is the partial unique index
 * `rehearsals_one_running_per_target`; `finish` is a conditional update from `running`.
 */
import { and, desc, eq, lt } from 'drizzle-orm';
import { toFailureCode } from '../app/ports/backups.ts';
import { TransitionError } from '../app/ports/record-errors.ts';
import {
  type NewRehearsal,
  type Rehearsal,
  RehearsalInProgressError,
  type RehearsalOutcome,
  type RehearsalRepository,
} from '../app/ports/rehearsals.ts';
import type { Db, Orm } from './database.ts';
import { clampLimit, type RepositoryDeps } from './repository-deps.ts';
import { rehearsals } from './schema.ts';

type Row = typeof rehearsals.$inferSelect;

/** Row → record (both dialects' rows have the same shape). */
export function toRehearsal(row: Row): Rehearsal {
  const { failureCode, failureReason, ...rest } = row;
  const code = toFailureCode(failureCode);
  return { ...rest, failure: code && failureReason !== null ? { code, reason: failureReason } : null };
}

/** The columns `finish` sets (both dialects). */
export function finishedValues(outcome: RehearsalOutcome, now: Date) {
  return {
    status: outcome.status,
    finishedAt: now,
    updatedAt: now,
    durationMs: outcome.durationMs,
    entities: outcome.entities,
    applied: outcome.applied,
    drift: outcome.drift,
    failureCode: outcome.failure?.code ?? null,
    failureReason: outcome.failure?.reason ?? null,
  };
}

export class SqliteRehearsalRepository implements RehearsalRepository {
  private readonly orm: Orm;

  constructor(
    db: Db,
    private readonly deps: RepositoryDeps,
  ) {
    this.orm = db.orm;
  }

  async start(input: NewRehearsal): Promise<Rehearsal> {
    const now = this.deps.now();
    return this.orm.transaction(
      (tx) => {
        const held = tx
          .select({ id: rehearsals.id })
          .from(rehearsals)
          .where(and(eq(rehearsals.target, input.target), eq(rehearsals.status, 'running')))
          .get();
        if (held) throw new RehearsalInProgressError(input.target, held.id);
        const row = tx
          .insert(rehearsals)
          .values({ id: this.deps.newId(), ...input, status: 'running', startedAt: now, updatedAt: now })
          .returning()
          .get();
        return toRehearsal(row);
      },
      { behavior: 'immediate' },
    );
  }

  async finish(id: string, outcome: RehearsalOutcome): Promise<Rehearsal> {
    const now = this.deps.now();
    const row = this.orm
      .update(rehearsals)
      .set(finishedValues(outcome, now))
      .where(and(eq(rehearsals.id, id), eq(rehearsals.status, 'running')))
      .returning()
      .get();
    if (row) return toRehearsal(row);
    throw new TransitionError('rehearsal', id, (await this.get(id))?.status, outcome.status);
  }

  async heartbeat(id: string): Promise<boolean> {
    const row = this.orm
      .update(rehearsals)
      .set({ updatedAt: this.deps.now() })
      .where(and(eq(rehearsals.id, id), eq(rehearsals.status, 'running')))
      .returning({ id: rehearsals.id })
      .get();
    return row !== undefined;
  }

  async get(id: string): Promise<Rehearsal | null> {
    const row = this.orm.select().from(rehearsals).where(eq(rehearsals.id, id)).get();
    return row ? toRehearsal(row) : null;
  }

  async listByConnection(connection: string, options: { limit?: number } = {}): Promise<Rehearsal[]> {
    return this.orm
      .select()
      .from(rehearsals)
      .where(eq(rehearsals.connection, connection))
      .orderBy(desc(rehearsals.startedAt), desc(rehearsals.id))
      .limit(clampLimit(options.limit))
      .all()
      .map(toRehearsal);
  }

  async listSilent(silentSince: Date): Promise<Rehearsal[]> {
    return this.orm
      .select()
      .from(rehearsals)
      .where(and(eq(rehearsals.status, 'running'), lt(rehearsals.updatedAt, silentSince)))
      .all()
      .map(toRehearsal);
  }
}
