/**
 * BackupRepository over SQLite. Status changes are conditional updates
 * (`UPDATE … WHERE id = ? AND status IN (sources)`), so two workers racing on one record cannot both win;
 * the loser gets a TransitionError naming the status it found.
 */
import { and, asc, desc, eq, inArray, isNotNull, isNull, lt, lte, ne, or, type SQL, sql } from 'drizzle-orm';
import type { SQLiteUpdateSetSource } from 'drizzle-orm/sqlite-core';
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
} from '../app/ports/backups.ts';
import { toFailureCode } from '../app/ports/backups.ts';
import { NotFoundError, TransitionError } from '../app/ports/record-errors.ts';
import { BACKUP_STATUS, type BackupStatus } from '../core/status.ts';
import type { Db, Orm } from './database.ts';
import type { RepositoryDeps } from './repository-deps.ts';
import { clampLimit } from './repository-deps.ts';
import { backupCopies, backups, verifications } from './schema.ts';

type BackupRow = typeof backups.$inferSelect;
type Tx = Parameters<Parameters<Orm['transaction']>[0]>[0];

function toBackup(row: BackupRow): Backup {
  const { slackChannel, slackTs, failureCode, ...rest } = row;
  return {
    ...rest,
    failureCode: toFailureCode(failureCode),
    slack: slackChannel && slackTs ? { channel: slackChannel, ts: slackTs } : null,
  };
}

function notPreRestore(options: PickOptions): SQL | undefined {
  return options.excludePreRestore ? ne(backups.type, 'pre-restore') : undefined;
}

function toCopy(row: typeof backupCopies.$inferSelect): BackupCopy {
  return { ...row };
}

export class SqliteBackupRepository implements BackupRepository {
  private readonly orm: Orm;

  constructor(
    db: Db,
    private readonly deps: RepositoryDeps,
  ) {
    this.orm = db.orm;
  }

  async create(input: NewBackup): Promise<Backup> {
    const row = this.orm
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
      .returning()
      .get();
    return toBackup(row);
  }

  async get(id: string): Promise<Backup | null> {
    const row = this.orm.select().from(backups).where(eq(backups.id, id)).get();
    return row ? toBackup(row) : null;
  }

  async listByConnection(connection: string, options: ListOptions = {}): Promise<Backup[]> {
    const conditions: (SQL | undefined)[] = [eq(backups.connection, connection)];
    if (!options.includePruned) conditions.push(isNull(backups.prunedAt));
    if (options.before !== undefined) {
      const cursor = this.orm
        .select({ createdAt: backups.createdAt, id: backups.id })
        .from(backups)
        .where(eq(backups.id, options.before))
        .get();
      if (!cursor) throw new NotFoundError('backup', options.before);
      conditions.push(
        or(
          lt(backups.createdAt, cursor.createdAt),
          and(eq(backups.createdAt, cursor.createdAt), lt(backups.id, cursor.id)),
        ),
      );
    }
    return this.orm
      .select()
      .from(backups)
      .where(and(...conditions))
      .orderBy(desc(backups.createdAt), desc(backups.id))
      .limit(clampLimit(options.limit))
      .all()
      .map(toBackup);
  }

  async listByStatus(status: BackupStatus, options: { connection?: string; limit?: number } = {}) {
    return this.orm
      .select()
      .from(backups)
      .where(
        and(
          eq(backups.status, status),
          options.connection === undefined ? undefined : eq(backups.connection, options.connection),
        ),
      )
      .orderBy(asc(backups.createdAt), asc(backups.id))
      .limit(clampLimit(options.limit, 1000))
      .all()
      .map(toBackup);
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
    return this.orm
      .select()
      .from(backups)
      .where(
        and(
          eq(backups.artifactName, artifactName),
          eq(backups.status, 'completed'),
          isNull(backups.prunedAt),
        ),
      )
      .orderBy(asc(backups.createdAt))
      .all()
      .map(toBackup);
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
    return this.orm.transaction(
      (tx) => {
        const done = this.transition(tx, id, 'completed', {
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
        this.upsertCopies(tx, id, c.copies, now);
        return done;
      },
      { behavior: 'immediate' },
    );
  }

  async markFailed(id: string, failure: Failure): Promise<Backup> {
    return this.transition(this.orm, id, 'failed', {
      finishedAt: this.deps.now(),
      failureReason: failure.reason,
      failureCode: failure.code,
    });
  }

  async setSlackMessage(id: string, ref: SlackMessageRef): Promise<void> {
    const r = this.orm
      .update(backups)
      .set({ slackChannel: ref.channel, slackTs: ref.ts })
      .where(eq(backups.id, id))
      .run();
    if (r.changes === 0) throw new NotFoundError('backup', id);
  }

  async markPruned(id: string): Promise<Backup> {
    const row = this.orm
      .update(backups)
      .set({ prunedAt: this.deps.now() })
      .where(and(eq(backups.id, id), inArray(backups.status, ['completed', 'failed'])))
      .returning()
      .get();
    if (row) return toBackup(row);
    const current = await this.get(id);
    throw new TransitionError('backup', id, current?.status, 'pruned');
  }

  async listCopies(backupId: string): Promise<BackupCopy[]> {
    return this.orm
      .select()
      .from(backupCopies)
      .where(eq(backupCopies.backupId, backupId))
      .orderBy(asc(backupCopies.createdAt), asc(backupCopies.target))
      .all()
      .map(toCopy);
  }

  async recordRewrap(backupId: string, rewrap: { keyId: string; sha256: string; copies: NewCopy[] }) {
    const now = this.deps.now();
    this.orm.transaction(
      (tx) => {
        const r = tx
          .update(backups)
          .set({ keyId: rewrap.keyId, sha256: rewrap.sha256 })
          .where(eq(backups.id, backupId))
          .run();
        if (r.changes === 0) throw new NotFoundError('backup', backupId);
        this.upsertCopies(tx, backupId, rewrap.copies, now);
      },
      { behavior: 'immediate' },
    );
  }

  async recordRewrite(backupId: string, rewrite: BackupRewrite): Promise<Backup> {
    const now = this.deps.now();
    const { copies, ...fields } = rewrite;
    return this.orm.transaction(
      (tx) => {
        const row = tx
          .update(backups)
          .set({ ...fields, rewrittenAt: now })
          .where(eq(backups.id, backupId))
          .returning()
          .get();
        if (!row) throw new NotFoundError('backup', backupId);
        this.upsertCopies(tx, backupId, copies, now);
        return toBackup(row);
      },
      { behavior: 'immediate' },
    );
  }

  async recordVerification(backupId: string, results: CopyCheckResult[]): Promise<Verification> {
    const at = this.deps.now();
    return this.orm.transaction(
      (tx) => {
        const ok = results.length > 0 && results.every((r) => r.ok);
        const row = tx.insert(verifications).values({ backupId, at, ok, results }).returning().get();
        for (const r of results) {
          tx.update(backupCopies)
            .set({ verifiedAt: at, verifyOk: r.ok, verifyProblem: r.ok ? null : (r.problem ?? 'failed') })
            .where(and(eq(backupCopies.backupId, backupId), eq(backupCopies.target, r.target)))
            .run();
        }
        return row;
      },
      { behavior: 'immediate' },
    );
  }

  async listVerifications(backupId: string, options: { limit?: number } = {}): Promise<Verification[]> {
    return this.orm
      .select()
      .from(verifications)
      .where(eq(verifications.backupId, backupId))
      .orderBy(desc(verifications.at), desc(verifications.id))
      .limit(clampLimit(options.limit))
      .all();
  }

  async latestCopyChecks(connection: string): Promise<BackupCopy[]> {
    const verified = and(eq(backups.connection, connection), isNotNull(backupCopies.verifiedAt));
    // one small query per target (a handful): the newest verified copy of each
    const targets = this.orm
      .select({ target: backupCopies.target })
      .from(backupCopies)
      .innerJoin(backups, eq(backups.id, backupCopies.backupId))
      .where(verified)
      .groupBy(backupCopies.target)
      .orderBy(asc(backupCopies.target))
      .all();
    return targets.map(({ target }) => {
      const row = this.orm
        .select({ copy: backupCopies })
        .from(backupCopies)
        .innerJoin(backups, eq(backups.id, backupCopies.backupId))
        .where(and(verified, eq(backupCopies.target, target)))
        .orderBy(desc(backupCopies.verifiedAt), desc(backups.createdAt), desc(backups.id))
        .get()!;
      return toCopy(row.copy);
    });
  }

  private newestCompleted(connection: string, extra?: SQL): Backup | null {
    const row = this.orm
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
      .orderBy(desc(backups.startedAt), desc(backups.createdAt), desc(backups.id))
      .get();
    return row ? toBackup(row) : null;
  }

  private transition(
    db: Orm | Tx,
    id: string,
    to: BackupStatus,
    patch: SQLiteUpdateSetSource<typeof backups>,
  ): Backup {
    const row = db
      .update(backups)
      .set({ ...patch, status: to })
      .where(and(eq(backups.id, id), inArray(backups.status, BACKUP_STATUS.sourcesOf(to))))
      .returning()
      .get();
    if (row) return toBackup(row);
    const current = db.select({ status: backups.status }).from(backups).where(eq(backups.id, id)).get();
    throw new TransitionError('backup', id, current?.status, to);
  }

  private upsertCopies(tx: Tx, backupId: string, copies: NewCopy[], now: Date): void {
    for (const copy of copies) {
      tx.insert(backupCopies)
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
        })
        .run();
    }
  }
}
