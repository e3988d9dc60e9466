/**
 * RehearsalRepository over PostgreSQL: the SQLite one's behaviour. Two processes starting a rehearsal
 * into the same target both pass the read; the partial unique index refuses the second insert, which
 * becomes the same RehearsalInProgressError.
 */
import { and, desc, eq, lt } from 'drizzle-orm';
import { TransitionError } from '../../app/ports/record-errors.ts';
import type { RecordDeps } from '../../app/ports/records.ts';
import {
  type NewRehearsal,
  type Rehearsal,
  RehearsalInProgressError,
  type RehearsalOutcome,
  type RehearsalRepository,
} from '../../app/ports/rehearsals.ts';
import { clampLimit } from '../repository-deps.ts';
import { finishedValues, toRehearsal } from '../sqlite-rehearsals.ts';
import type { PgDb, PgOrm } from './database.ts';
import { bytewise, uniqueViolation } from './rows.ts';
import { rehearsals } from './schema.ts';

export class PostgresRehearsalRepository implements RehearsalRepository {
  private readonly orm: PgOrm;

  constructor(
    db: PgDb,
    private readonly deps: RecordDeps,
  ) {
    this.orm = db.orm;
  }

  private async running(target: string): Promise<string | null> {
    const [row] = await this.orm
      .select({ id: rehearsals.id })
      .from(rehearsals)
      .where(and(eq(rehearsals.target, target), eq(rehearsals.status, 'running')));
    return row?.id ?? null;
  }

  async start(input: NewRehearsal): Promise<Rehearsal> {
    const held = await this.running(input.target);
    if (held) throw new RehearsalInProgressError(input.target, held);
    const now = this.deps.now();
    try {
      const [row] = await this.orm
        .insert(rehearsals)
        .values({ id: this.deps.newId(), ...input, status: 'running', startedAt: now, updatedAt: now })
        .returning();
      return toRehearsal(row!);
    } catch (err) {
      if (uniqueViolation(err) !== 'rehearsals_one_running_per_target') throw err;
      const winner = await this.running(input.target);
      if (!winner) throw err;
      throw new RehearsalInProgressError(input.target, winner);
    }
  }

  async finish(id: string, outcome: RehearsalOutcome): Promise<Rehearsal> {
    const now = this.deps.now();
    const [row] = await this.orm
      .update(rehearsals)
      .set(finishedValues(outcome, now))
      .where(and(eq(rehearsals.id, id), eq(rehearsals.status, 'running')))
      .returning();
    if (row) return toRehearsal(row);
    throw new TransitionError('rehearsal', id, (await this.get(id))?.status, outcome.status);
  }

  async heartbeat(id: string): Promise<boolean> {
    const rows = await this.orm
      .update(rehearsals)
      .set({ updatedAt: this.deps.now() })
      .where(and(eq(rehearsals.id, id), eq(rehearsals.status, 'running')))
      .returning({ id: rehearsals.id });
    return rows.length > 0;
  }

  async get(id: string): Promise<Rehearsal | null> {
    const [row] = await this.orm.select().from(rehearsals).where(eq(rehearsals.id, id));
    return row ? toRehearsal(row) : null;
  }

  async listByConnection(connection: string, options: { limit?: number } = {}): Promise<Rehearsal[]> {
    const rows = await this.orm
      .select()
      .from(rehearsals)
      .where(eq(rehearsals.connection, connection))
      .orderBy(desc(rehearsals.startedAt), desc(bytewise(rehearsals.id)))
      .limit(clampLimit(options.limit));
    return rows.map(toRehearsal);
  }

  async listSilent(silentSince: Date): Promise<Rehearsal[]> {
    const rows = await this.orm
      .select()
      .from(rehearsals)
      .where(and(eq(rehearsals.status, 'running'), lt(rehearsals.updatedAt, silentSince)));
    return rows.map(toRehearsal);
  }
}
