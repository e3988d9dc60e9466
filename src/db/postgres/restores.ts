/**
 * RestoreRepository over PostgreSQL. Every status change is a conditional update whose `IN (…)` list
 * comes from RESTORE_STATUS; one active request per connection is the partial unique index
 * `restores_one_active_per_connection`: two processes creating at once both pass the read, the index
 * refuses the second insert, and that becomes the same RestoreInProgressError SQLite gives.
 */
import { and, asc, desc, eq, inArray, lt, lte, or, type SQL } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Failure, SlackMessageRef } from '../../app/ports/backups.ts';
import { NotFoundError, RestoreInProgressError, TransitionError } from '../../app/ports/record-errors.ts';
import type { RecordDeps } from '../../app/ports/records.ts';
import type {
  Approval,
  DecisionResult,
  FinalRestoreStatus,
  NewRestore,
  NewRestoreStep,
  PlanReady,
  Restore,
  RestoreRepository,
  RestoreStep,
} from '../../app/ports/restores.ts';
import { ACTIVE_RESTORE_STATUSES, RESTORE_STATUS, type RestoreStatus } from '../../core/status.ts';
import { clampLimit } from '../repository-deps.ts';
import type { PgDb, PgOrm } from './database.ts';
import { approveRestore, cancelRestore, rejectRestore } from './restore-decisions.ts';
import { bytewise, bytewiseLess, toRestore, uniqueViolation } from './rows.ts';
import { approvals, restoreSteps, restores } from './schema.ts';

const EXPIRABLE = RESTORE_STATUS.sourcesOf('expired');
/** rows per INSERT of restore steps (one transaction for all of them) */
const STEP_BATCH = 5000;

export class PostgresRestoreRepository implements RestoreRepository {
  private readonly orm: PgOrm;

  constructor(
    private readonly db: PgDb,
    private readonly deps: RecordDeps,
  ) {
    this.orm = db.orm;
  }

  async create(input: NewRestore): Promise<Restore> {
    const now = this.deps.now();
    const held = await this.findActive(input.connection);
    if (held) throw new RestoreInProgressError(input.connection, held.id, held.status);
    try {
      const [row] = await this.orm
        .insert(restores)
        .values({
          id: input.id ?? this.deps.newId(),
          connection: input.connection,
          backupId: input.backupId,
          requestedBy: input.requestedBy,
          reason: input.reason,
          onlySections: input.onlySections ?? null,
          noDeletes: input.noDeletes ?? false,
          breakGlass: input.breakGlass ?? false,
          status: 'planned',
          expiresAt: input.expiresAt,
          slackChannel: input.slack?.channel ?? null,
          slackTs: input.slack?.ts ?? null,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      return toRestore(row!);
    } catch (err) {
      if (uniqueViolation(err) !== 'restores_one_active_per_connection') throw err;
      // another process created one between our read and our insert
      const winner = await this.findActive(input.connection);
      if (!winner) throw err;
      throw new RestoreInProgressError(input.connection, winner.id, winner.status);
    }
  }

  async get(id: string): Promise<Restore | null> {
    const [row] = await this.orm.select().from(restores).where(eq(restores.id, id));
    return row ? toRestore(row) : null;
  }

  async findActive(connection: string): Promise<Restore | null> {
    const [row] = await this.orm
      .select()
      .from(restores)
      .where(
        and(eq(restores.connection, connection), inArray(restores.status, [...ACTIVE_RESTORE_STATUSES])),
      );
    return row ? toRestore(row) : null;
  }

  async listByConnection(connection: string, options: { limit?: number; before?: string } = {}) {
    const conditions: (SQL | undefined)[] = [eq(restores.connection, connection)];
    if (options.before !== undefined) {
      const cursor = await this.get(options.before);
      if (!cursor) throw new NotFoundError('restore', options.before);
      conditions.push(
        or(
          lt(restores.createdAt, cursor.createdAt),
          and(eq(restores.createdAt, cursor.createdAt), bytewiseLess(restores.id, cursor.id)),
        ),
      );
    }
    const rows = await this.orm
      .select()
      .from(restores)
      .where(and(...conditions))
      .orderBy(desc(restores.createdAt), desc(bytewise(restores.id)))
      .limit(clampLimit(options.limit));
    return rows.map(toRestore);
  }

  async listByStatus(status: RestoreStatus, options: { connection?: string; limit?: number } = {}) {
    const byConnection =
      options.connection === undefined ? undefined : eq(restores.connection, options.connection);
    const rows = await this.orm
      .select()
      .from(restores)
      .where(and(eq(restores.status, status), byConnection))
      .orderBy(asc(restores.createdAt), asc(bytewise(restores.id)))
      .limit(clampLimit(options.limit, 1000));
    return rows.map(toRestore);
  }

  async markAwaitingApproval(id: string, plan: PlanReady): Promise<Restore> {
    return this.transition(id, 'awaiting_approval', {
      planHash: plan.planHash,
      liveFingerprint: plan.liveFingerprint,
      planSummary: plan.planSummary,
      approvedBy: null,
      ...(plan.expiresAt ? { expiresAt: plan.expiresAt } : {}),
    });
  }

  async approve(input: { restoreId: string; approver: string; planHash: string }): Promise<DecisionResult> {
    return approveRestore(this.orm, this.deps.now(), input);
  }

  async reject(input: { restoreId: string; approver: string }): Promise<DecisionResult> {
    return rejectRestore(this.orm, this.deps.now(), input);
  }

  async cancel(input: { restoreId: string; by: string }): Promise<DecisionResult> {
    return cancelRestore(this.orm, this.deps.now(), input);
  }

  async expire(id: string): Promise<Restore | null> {
    return (await this.expireWhere(eq(restores.id, id)))[0] ?? null;
  }

  async expireDue(): Promise<Restore[]> {
    return this.expireWhere(undefined);
  }

  async markRunning(id: string): Promise<Restore> {
    return this.transition(id, 'running', {});
  }

  async heartbeat(id: string): Promise<boolean> {
    const rows = await this.orm
      .update(restores)
      .set({ updatedAt: this.deps.now() })
      .where(and(eq(restores.id, id), eq(restores.status, 'running')))
      .returning({ id: restores.id });
    return rows.length > 0;
  }

  async setPreRestoreBackup(id: string, backupId: string): Promise<Restore> {
    const [row] = await this.orm
      .update(restores)
      .set({ preRestoreBackupId: backupId, updatedAt: this.deps.now() })
      .where(and(eq(restores.id, id), inArray(restores.status, ['approved', 'running'])))
      .returning();
    if (row) return toRestore(row);
    throw new TransitionError('restore', id, (await this.get(id))?.status, 'running (pre-restore backup)');
  }

  async finish(
    id: string,
    status: FinalRestoreStatus,
    details: { failure?: Failure | null; planSummary?: Record<string, unknown> } = {},
  ): Promise<Restore> {
    return this.transition(id, status, {
      finishedAt: this.deps.now(),
      failureReason: details.failure?.reason ?? null,
      failureCode: details.failure?.code ?? null,
      ...(details.planSummary ? { planSummary: details.planSummary } : {}),
    });
  }

  async setSlackMessage(id: string, ref: SlackMessageRef): Promise<void> {
    const rows = await this.orm
      .update(restores)
      .set({ slackChannel: ref.channel, slackTs: ref.ts })
      .where(eq(restores.id, id))
      .returning({ id: restores.id });
    if (rows.length === 0) throw new NotFoundError('restore', id);
  }

  /**
   * Steps arrive by the hundred thousand (a restore of 146k entities): one INSERT … SELECT FROM unnest
   * per batch of column arrays, in one transaction, instead of a statement per row. A seq given twice
   * keeps its last step, as the row-by-row SQLite upsert does.
   */
  async recordSteps(restoreId: string, steps: NewRestoreStep[]): Promise<void> {
    const bySeq = new Map<number, NewRestoreStep>();
    for (const s of steps) bySeq.set(s.seq, s);
    const unique = [...bySeq.values()];
    const at = this.deps.now();
    const client = await this.db.pool.connect();
    try {
      await client.query('BEGIN');
      for (let i = 0; i < unique.length; i += STEP_BATCH) {
        const batch = unique.slice(i, i + STEP_BATCH);
        await client.query(
          `INSERT INTO restore_steps (restore_id, seq, phase, op, kind, entity_id, name, status, error, at)
           SELECT $1, s.seq, s.phase, s.op, s.kind, s.entity_id, s.name, s.status, s.error::json, $2
           FROM unnest($3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
             AS s(seq, phase, op, kind, entity_id, name, status, error)
           ON CONFLICT (restore_id, seq) DO UPDATE SET
             phase = excluded.phase, op = excluded.op, kind = excluded.kind, entity_id = excluded.entity_id,
             name = excluded.name, status = excluded.status, error = excluded.error, at = excluded.at`,
          [
            restoreId,
            at,
            batch.map((s) => s.seq),
            batch.map((s) => s.phase),
            batch.map((s) => s.op),
            batch.map((s) => s.kind),
            batch.map((s) => s.entityId),
            batch.map((s) => s.name),
            batch.map((s) => s.status),
            batch.map((s) => (s.error === null || s.error === undefined ? null : JSON.stringify(s.error))),
          ],
        );
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  async listSteps(restoreId: string): Promise<RestoreStep[]> {
    return this.orm
      .select()
      .from(restoreSteps)
      .where(eq(restoreSteps.restoreId, restoreId))
      .orderBy(asc(restoreSteps.seq));
  }

  async listApprovals(restoreId: string): Promise<Approval[]> {
    return this.orm
      .select()
      .from(approvals)
      .where(eq(approvals.restoreId, restoreId))
      .orderBy(asc(approvals.id));
  }

  private async expireWhere(extra: SQL | undefined): Promise<Restore[]> {
    const now = this.deps.now();
    const rows = await this.orm
      .update(restores)
      .set({ status: 'expired', updatedAt: now, finishedAt: now })
      .where(and(extra, inArray(restores.status, EXPIRABLE), lte(restores.expiresAt, now)))
      .returning();
    return rows.map(toRestore);
  }

  private async transition(
    id: string,
    to: RestoreStatus,
    patch: PgUpdateSetSource<typeof restores>,
  ): Promise<Restore> {
    const [row] = await this.orm
      .update(restores)
      .set({ ...patch, status: to, updatedAt: this.deps.now() })
      .where(and(eq(restores.id, id), inArray(restores.status, RESTORE_STATUS.sourcesOf(to))))
      .returning();
    if (row) return toRestore(row);
    throw new TransitionError('restore', id, (await this.get(id))?.status, to);
  }
}
