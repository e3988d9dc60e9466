/**
 * AuditLog over SQLite. Appends run in an immediate transaction: the writer lock is taken before the
 * last row is read, so two processes appending at once still produce one unbroken chain. Triggers from
 * migration 0001 refuse UPDATE and DELETE; `verify()` catches whoever drops them first.
 */
import { and, desc, eq, gte, like, lt, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Orm } from '../db/database.ts';
import { clampLimit } from '../db/repository-deps.ts';
import { auditEvents } from '../db/schema.ts';
import { type AuditAction, type AuditEventInput, auditEventInputSchema } from './actions.ts';
import type { AuditAnchor, AuditEvent, AuditLog, AuditQuery, AuditVerifyResult } from './audit-log.ts';
import { GENESIS_HASH, hashEvent } from './chain.ts';
import { AuditInputError, assertNoSecrets } from './secret-guard.ts';

interface RawRow {
  seq: number;
  time: number;
  actor: string;
  action: string;
  connection: string | null;
  target_id: string | null;
  outcome: string;
  details: string;
  prev_hash: string;
  hash: string;
}

function toEvent(row: typeof auditEvents.$inferSelect): AuditEvent {
  return { ...row, action: row.action as AuditAction };
}

export class SqliteAuditLog implements AuditLog {
  private readonly orm: Orm;

  constructor(
    private readonly db: Db,
    private readonly deps: { now: () => Date },
  ) {
    this.orm = db.orm;
  }

  async append(input: AuditEventInput): Promise<AuditEvent> {
    const parsed = auditEventInputSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new AuditInputError(
        `audit event refused: ${z.prettifyError(parsed.error)}`,
        issue.path.join('.'),
      );
    }
    const e = parsed.data;
    // Hash what will be read back: JSON drops undefined, turns Dates into strings, and so on.
    const details = JSON.parse(JSON.stringify(e.details)) as Record<string, unknown>;
    assertNoSecrets(details);
    const time = new Date(this.deps.now().getTime());
    return this.orm.transaction(
      (tx) => {
        const last = tx
          .select({ seq: auditEvents.seq, hash: auditEvents.hash })
          .from(auditEvents)
          .orderBy(desc(auditEvents.seq))
          .limit(1)
          .get();
        // AUTOINCREMENT's high-water mark: a removed tail must leave a gap, not be silently refilled.
        const seq = Math.max(last?.seq ?? 0, this.highestSeqEverUsed()) + 1;
        const prevHash = last?.hash ?? GENESIS_HASH;
        const fields = {
          seq,
          time,
          actor: e.actor,
          action: e.action,
          connection: e.connection ?? null,
          targetId: e.targetId ?? null,
          outcome: e.outcome,
          details,
        };
        const row = tx
          .insert(auditEvents)
          .values({ ...fields, prevHash, hash: hashEvent(prevHash, fields) })
          .returning()
          .get();
        return toEvent(row);
      },
      { behavior: 'immediate' },
    );
  }

  async list(query: AuditQuery = {}): Promise<AuditEvent[]> {
    const where: (SQL | undefined)[] = [];
    if (query.connection !== undefined) where.push(eq(auditEvents.connection, query.connection));
    if (query.actor !== undefined) where.push(eq(auditEvents.actor, query.actor));
    if (query.action !== undefined) {
      where.push(
        query.action.endsWith('.*')
          ? like(auditEvents.action, `${query.action.slice(0, -1).replace(/[%_\\]/g, '\\$&')}%`)
          : eq(auditEvents.action, query.action),
      );
    }
    if (query.since !== undefined) where.push(gte(auditEvents.time, query.since));
    if (query.beforeSeq !== undefined) where.push(lt(auditEvents.seq, query.beforeSeq));
    return this.orm
      .select()
      .from(auditEvents)
      .where(and(...where))
      .orderBy(desc(auditEvents.seq))
      .limit(clampLimit(query.limit, 50))
      .all()
      .map(toEvent);
  }

  async head(): Promise<AuditAnchor | null> {
    const last = this.orm
      .select({ seq: auditEvents.seq, hash: auditEvents.hash })
      .from(auditEvents)
      .orderBy(desc(auditEvents.seq))
      .limit(1)
      .get();
    return last ?? null;
  }

  async verify(options: { anchor?: AuditAnchor } = {}): Promise<AuditVerifyResult> {
    const rows = this.db.sqlite
      .prepare('SELECT * FROM audit_events ORDER BY seq')
      .iterate() as Iterable<RawRow>;
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let checked = 0;
    let head: AuditAnchor | null = null;
    const broken = (seq: number, reason: string): AuditVerifyResult => ({
      ok: false,
      checked,
      head,
      firstBroken: { seq, reason },
    });
    for (const row of rows) {
      const problem = checkRow(row, expectedSeq, prevHash);
      if (problem) return broken(problem.seq, problem.reason);
      if (options.anchor?.seq === row.seq && options.anchor.hash !== row.hash) {
        return broken(row.seq, `hash differs from the published anchor for row ${row.seq}`);
      }
      checked++;
      head = { seq: row.seq, hash: row.hash };
      prevHash = row.hash;
      expectedSeq = row.seq + 1;
    }
    const lastSeq = expectedSeq - 1;
    const everUsed = this.highestSeqEverUsed();
    if (everUsed > lastSeq) {
      const removed =
        everUsed === lastSeq + 1 ? `row ${everUsed} was` : `rows ${lastSeq + 1}–${everUsed} were`;
      return broken(lastSeq + 1, `${removed} removed from the end`);
    }
    if (options.anchor && options.anchor.seq > lastSeq) {
      return broken(
        lastSeq + 1,
        `rows ${lastSeq + 1}–${options.anchor.seq} before the published anchor are missing`,
      );
    }
    return { ok: true, checked, head };
  }

  private highestSeqEverUsed(): number {
    const seq = this.db.sqlite
      .prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'")
      .pluck()
      .get();
    return typeof seq === 'number' ? seq : 0;
  }
}

function checkRow(
  row: RawRow,
  expectedSeq: number,
  prevHash: string,
): { seq: number; reason: string } | null {
  if (row.seq !== expectedSeq) {
    const missing =
      row.seq - 1 === expectedSeq ? `row ${expectedSeq} is` : `rows ${expectedSeq}–${row.seq - 1} are`;
    return { seq: expectedSeq, reason: `${missing} missing (the next row is ${row.seq})` };
  }
  if (row.prev_hash !== prevHash) {
    const before = row.seq === 1 ? 'the chain start' : `row ${row.seq - 1}`;
    return { seq: row.seq, reason: `prev_hash does not match the hash of ${before}` };
  }
  let details: Record<string, unknown>;
  try {
    details = JSON.parse(row.details) as Record<string, unknown>;
  } catch {
    return { seq: row.seq, reason: 'details are not valid JSON (row was edited)' };
  }
  const fields = {
    seq: row.seq,
    time: new Date(row.time),
    actor: row.actor,
    action: row.action,
    connection: row.connection,
    targetId: row.target_id,
    outcome: row.outcome,
    details,
  };
  if (hashEvent(prevHash, fields) !== row.hash) {
    return { seq: row.seq, reason: 'hash does not match the row’s contents (row was edited)' };
  }
  return null;
}
