/**
 * BackupRepository over PostgreSQL: the SQLite repository's statements, awaited. Status changes are
 * conditional updates (`UPDATE … WHERE id = $1 AND status IN (sources) RETURNING *`): a row lock makes a
 * second writer wait and then re-check the condition, so two workers racing on one record cannot both
 * win; the loser gets a TransitionError naming the status it found.
 */
import { and, asc, desc, eq, inArray, isNotNull, isNull, lt, lte, ne, or, type SQL, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type {
  Backup,
  BackupCompletion,
  BackupCopy,
  BackupRepository,
  BackupRewrite,
  CopyCheckResult,
  Failure,
  ListOptions,
  NewBackup,
  NewCopy,
  PickOptions,
  SlackMessageRef,
  Verification,
} from '../../app/ports/backups.ts';
import { NotFoundError, TransitionError } from '../../app/ports/record-errors.ts';
import type { RecordDeps } from '../../app/ports/records.ts';
import { BACKUP_STATUS, type BackupStatus } from '../../core/status.ts';
import { clampLimit } from '../repository-deps.ts';
import type { PgDb, PgOrm } from './database.ts';
import { bytewise, bytewiseLess, toBackup } from './rows.ts';
import { backupCopies, backups, verifications } from './schema.ts';

type Tx = Parameters<Parameters<PgOrm['transaction']>[0]>[0];

function notPreRestore(options: PickOptions): SQL | undefined {
  return options.excludePreRestore ? ne(backups.type, 'pre-restore') : undefined;
}

export class PostgresBackupRepository implements BackupRepository {
  private readonly orm: PgOrm;

  constructor(
    db: PgDb,
    private readonly deps: RecordDeps,
  ) {
    this.orm = db.orm;
  }

  async create(input: NewBackup): Promise<Backup> {
    const [row] = await this.orm
      .insert(backups)
      .values({
        id: input.id ?? this.deps.newId(),
        connection: input.connection,
        type: input.type,
        status: 'pending',
        requestedBy: input.requestedBy,
        note: input.note ?? null,
        environment: input.environment ?? null,
        createdAt: this.deps.now(),
        slackChannel: input.slack?.channel ?? null,
        slackTs: input.slack?.ts ?? null,
      })
      .returning();
    return toBackup(row!);
  }

  async get(id: string): Promise<Backup | null> {
    const [row] = await this.orm.select().from(backups).where(eq(backups.id, id));
    return row ? toBackup(row) : null;
  }

  async listByConnection(connection: string, options: ListOptions = {}): Promise<Backup[]> {
    const conditions: (SQL | undefined)[] = [eq(backups.connection, connection)];
    if (!options.includePruned) conditions.push(isNull(backups.prunedAt));
    if (options.before !== undefined) {
      const [cursor] = await this.orm
        .select({ createdAt: backups.createdAt, id: backups.id })
        .from(backups)
        .where(eq(backups.id, options.before));
      if (!cursor) throw new NotFoundError('backup', options.before);
      conditions.push(
        or(
          lt(backups.createdAt, cursor.createdAt),
          and(eq(backups.createdAt, cursor.createdAt), bytewiseLess(backups.id, cursor.id)),
        ),
      );
    }
    const rows = await this.orm
      .select()
      .from(backups)
      .where(and(...conditions))
      .orderBy(desc(backups.createdAt), desc(bytewise(backups.id)))
      .limit(clampLimit(options.limit));
    return rows.map(toBackup);
  }

  async listByStatus(status: BackupStatus, options: { connection?: string; limit?: number } = {}) {
    const rows = await this.orm
      .select()
      .from(backups)
      .where(
        and(
          eq(backups.status, status),
          options.connection === undefined ? undefined : eq(backups.connection, options.connection),
        ),
      )
      .orderBy(asc(backups.createdAt), asc(bytewise(backups.id)))
      .limit(clampLimit(options.limit, 1000));
    return rows.map(toBackup);
  }

  async findLatestCompleted(connection: string, options: PickOptions = {}): Promise<Backup | null> {
    return this.newestCompleted(connection, notPreRestore(options));
  }

  async findCompletedAtOrBefore(
    connection: string,
    time: Date,
    options: PickOptions = {},
  ): Promise<Backup | null> {
    // The content reflects the gateway when the (last) attempt started dumping, not when it was queued.
    return this.newestCompleted(connection, and(lte(backups.startedAt, time), notPreRestore(options)));
  }

  async listByArtifact(artifactName: string): Promise<Backup[]> {
    const rows = await this.orm
      .select()
      .from(backups)
      .where(
        and(
          eq(backups.artifactName, artifactName),
          eq(backups.status, 'completed'),
          isNull(backups.prunedAt),
        ),
      )
      .orderBy(asc(backups.createdAt), asc(bytewise(backups.id)));
    return rows.map(toBackup);
  }

  async markRunning(id: string): Promise<Backup> {
    return this.transition(this.orm, id, 'running', {
      startedAt: this.deps.now(),
      attempts: sql`${backups.attempts} + 1`,
      failureReason: null,
      failureCode: null,
    });
  }

  async markCompleted(id: string, c: BackupCompletion): Promise<Backup> {
    const now = this.deps.now();
    return this.orm.transaction(async (tx) => {
      const done = await this.transition(tx, id, 'completed', {
        finishedAt: now,
        counts: c.counts,
        bytes: c.bytes,
        sha256: c.sha256,
        contentSha256: c.contentSha256 ?? null,
        keyId: c.keyId,
        artifactName: c.artifactName,
        unchangedFrom: c.unchangedFrom ?? null,
        kongVersion: c.kongVersion ?? null,
      });
      await upsertCopies(tx, id, c.copies, now);
      return done;
    });
  }

  async markFailed(id: string, failure: Failure): Promise<Backup> {
    return this.transition(this.orm, id, 'failed', {
      finishedAt: this.deps.now(),
      failureReason: failure.reason,
      failureCode: failure.code,
    });
  }

  async setSlackMessage(id: string, ref: SlackMessageRef): Promise<void> {
    const rows = await this.orm
      .update(backups)
      .set({ slackChannel: ref.channel, slackTs: ref.ts })
      .where(eq(backups.id, id))
      .returning({ id: backups.id });
    if (rows.length === 0) throw new NotFoundError('backup', id);
  }

  async markPruned(id: string): Promise<Backup> {
    const [row] = await this.orm
      .update(backups)
      .set({ prunedAt: this.deps.now() })
      .where(and(eq(backups.id, id), inArray(backups.status, ['completed', 'failed'])))
      .returning();
    if (row) return toBackup(row);
    const current = await this.get(id);
    throw new TransitionError('backup', id, current?.status, 'pruned');
  }

  async listCopies(backupId: string): Promise<BackupCopy[]> {
    const rows = await this.orm
      .select()
      .from(backupCopies)
      .where(eq(backupCopies.backupId, backupId))
      .orderBy(asc(backupCopies.createdAt), asc(bytewise(backupCopies.target)));
    return rows.map((row) => ({ ...row }));
  }

  async recordRewrap(backupId: string, rewrap: { keyId: string; sha256: string; copies: NewCopy[] }) {
    const now = this.deps.now();
    await this.orm.transaction(async (tx) => {
      const rows = await tx
        .update(backups)
        .set({ keyId: rewrap.keyId, sha256: rewrap.sha256 })
        .where(eq(backups.id, backupId))
        .returning({ id: backups.id });
      if (rows.length === 0) throw new NotFoundError('backup', backupId);
      await upsertCopies(tx, backupId, rewrap.copies, now);
    });
  }

  async recordRewrite(backupId: string, rewrite: BackupRewrite): Promise<Backup> {
    const now = this.deps.now();
    const { copies, ...fields } = rewrite;
    return this.orm.transaction(async (tx) => {
      const [row] = await tx
        .update(backups)
        .set({ ...fields, rewrittenAt: now })
        .where(eq(backups.id, backupId))
        .returning();
      if (!row) throw new NotFoundError('backup', backupId);
      await upsertCopies(tx, backupId, copies, now);
      return toBackup(row);
    });
  }

  async recordVerification(backupId: string, results: CopyCheckResult[]): Promise<Verification> {
    const at = this.deps.now();
    return this.orm.transaction(async (tx) => {
      const ok = results.length > 0 && results.every((r) => r.ok);
      const [row] = await tx.insert(verifications).values({ backupId, at, ok, results }).returning();
      for (const r of results) {
        await tx
          .update(backupCopies)
          .set({ verifiedAt: at, verifyOk: r.ok, verifyProblem: r.ok ? null : (r.problem ?? 'failed') })
          .where(and(eq(backupCopies.backupId, backupId), eq(backupCopies.target, r.target)));
      }
      return row!;
    });
  }

  async listVerifications(backupId: string, options: { limit?: number } = {}): Promise<Verification[]> {
    return this.orm
      .select()
      .from(verifications)
      .where(eq(verifications.backupId, backupId))
      .orderBy(desc(verifications.at), desc(verifications.id))
      .limit(clampLimit(options.limit));
  }

  async latestCopyChecks(connection: string): Promise<BackupCopy[]> {
    const verified = and(eq(backups.connection, connection), isNotNull(backupCopies.verifiedAt));
    // one small query per target (a handful): the newest verified copy of each
    const targets = await this.orm
      .select({ target: backupCopies.target })
      .from(backupCopies)
      .innerJoin(backups, eq(backups.id, backupCopies.backupId))
      .where(verified)
      .groupBy(backupCopies.target)
      .orderBy(asc(bytewise(backupCopies.target)));
    const found: BackupCopy[] = [];
    for (const { target } of targets) {
      const [row] = await this.orm
        .select({ copy: backupCopies })
        .from(backupCopies)
        .innerJoin(backups, eq(backups.id, backupCopies.backupId))
        .where(and(verified, eq(backupCopies.target, target)))
        .orderBy(desc(backupCopies.verifiedAt), desc(backups.createdAt), desc(bytewise(backups.id)))
        .limit(1);
      if (row) found.push({ ...row.copy });
    }
    return found;
  }

  private async newestCompleted(connection: string, extra?: SQL): Promise<Backup | null> {
    const [row] = await this.orm
      .select()
      .from(backups)
      .where(
        and(
          eq(backups.connection, connection),
          eq(backups.status, 'completed'),
          isNull(backups.prunedAt),
          extra,
        ),
      )
      // SQLite sorts NULL first, so a descending order puts NULL start times last; so does NULLS LAST
      .orderBy(sql`${backups.startedAt} desc nulls last`, desc(backups.createdAt), desc(bytewise(backups.id)))
      .limit(1);
    return row ? toBackup(row) : null;
  }

  private async transition(
    db: PgOrm | Tx,
    id: string,
    to: BackupStatus,
    patch: PgUpdateSetSource<typeof backups>,
  ): Promise<Backup> {
    const [row] = await db
      .update(backups)
      .set({ ...patch, status: to })
      .where(and(eq(backups.id, id), inArray(backups.status, BACKUP_STATUS.sourcesOf(to))))
      .returning();
    if (row) return toBackup(row);
    const [current] = await db.select({ status: backups.status }).from(backups).where(eq(backups.id, id));
    throw new TransitionError('backup', id, current?.status, to);
  }
}

async function upsertCopies(tx: Tx, backupId: string, copies: NewCopy[], now: Date): Promise<void> {
  for (const copy of copies) {
    await tx
      .insert(backupCopies)
      .values({ backupId, ...copy, createdAt: now })
      .onConflictDoUpdate({
        target: [backupCopies.backupId, backupCopies.target],
        set: {
          location: copy.location,
          sha256: copy.sha256,
          verifiedAt: null,
          verifyOk: null,
          verifyProblem: null,
        },
      });
  }
}
