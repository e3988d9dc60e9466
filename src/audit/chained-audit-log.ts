/**
 * The audit log over the records port's `AuditStore`: validates each event (actor, action, no secrets in
 * details), chains it to the head the store hands out under its writer lock, and verifies the chain.
 * The store only keeps rows; everything that makes the log tamper-evident is here, once for every
 * database.
 */
import { z } from 'zod';
import type { AuditRow, AuditStore, RawAuditRow } from '../app/ports/audit-store.ts';
import { type AuditAction, type AuditEventInput, auditEventInputSchema } from './actions.ts';
import type { AuditAnchor, AuditEvent, AuditLog, AuditQuery, AuditVerifyResult } from './audit-log.ts';
import { GENESIS_HASH, hashEvent } from './chain.ts';
import { AuditInputError, assertNoSecrets } from './secret-guard.ts';

/** rows read per page while verifying */
const VERIFY_PAGE = 1000;

function toEvent(row: AuditRow): AuditEvent {
  return { ...row, action: row.action as AuditAction };
}

export class ChainedAuditLog implements AuditLog {
  constructor(
    private readonly store: AuditStore,
    private readonly deps: { now: () => Date },
  ) {}

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
    const row = await this.store.appendChained((last, highestSeqEverUsed) => {
      // a removed tail must leave a gap, not be silently refilled
      const seq = Math.max(last?.seq ?? 0, highestSeqEverUsed) + 1;
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
      return { ...fields, prevHash, hash: hashEvent(prevHash, fields) };
    });
    return toEvent(row);
  }

  async list(query: AuditQuery = {}): Promise<AuditEvent[]> {
    return (await this.store.list(query)).map(toEvent);
  }

  async head(): Promise<AuditAnchor | null> {
    return this.store.head();
  }

  async verify(options: { anchor?: AuditAnchor } = {}): Promise<AuditVerifyResult> {
    return this.walk({ seq: 0, hash: GENESIS_HASH }, 0, options.anchor);
  }

  async verifyFrom(from: AuditAnchor): Promise<AuditVerifyResult> {
    if (from.seq === 0) return this.verify();
    const [row] = await this.store.rowsAfter(from.seq - 1, 1);
    const broken = (reason: string): AuditVerifyResult => ({
      ok: false,
      checked: 0,
      head: null,
      firstBroken: { seq: from.seq, reason },
    });
    if (row?.seq !== from.seq) return broken(`row ${from.seq} (the checkpoint's head) is missing`);
    if (row.hash !== from.hash) return broken(`row ${from.seq}'s hash differs from the checkpoint's`);
    return this.walk(from, 1);
  }

  /** checks every row after `start` (already trusted, `startCount` rows up to and including it) */
  private async walk(
    start: AuditAnchor,
    startCount: number,
    anchor?: AuditAnchor,
  ): Promise<AuditVerifyResult> {
    let expectedSeq = start.seq + 1;
    let prevHash = start.hash;
    let checked = startCount;
    let head: AuditAnchor | null = start.seq === 0 ? null : start;
    const broken = (seq: number, reason: string): AuditVerifyResult => ({
      ok: false,
      checked,
      head,
      firstBroken: { seq, reason },
    });
    for (let page = await this.store.rowsAfter(start.seq, VERIFY_PAGE); page.length > 0; ) {
      for (const row of page) {
        const problem = checkRow(row, expectedSeq, prevHash);
        if (problem) return broken(problem.seq, problem.reason);
        if (anchor?.seq === row.seq && anchor.hash !== row.hash) {
          return broken(row.seq, `hash differs from the published anchor for row ${row.seq}`);
        }
        checked++;
        head = { seq: row.seq, hash: row.hash };
        prevHash = row.hash;
        expectedSeq = row.seq + 1;
      }
      page = page.length < VERIFY_PAGE ? [] : await this.store.rowsAfter(page.at(-1)!.seq, VERIFY_PAGE);
    }
    const lastSeq = expectedSeq - 1;
    const everUsed = await this.store.highestSeqEverUsed();
    if (everUsed > lastSeq) {
      const removed =
        everUsed === lastSeq + 1 ? `row ${everUsed} was` : `rows ${lastSeq + 1}–${everUsed} were`;
      return broken(lastSeq + 1, `${removed} removed from the end`);
    }
    if (anchor && anchor.seq > lastSeq) {
      return broken(lastSeq + 1, `rows ${lastSeq + 1}–${anchor.seq} before the published anchor are missing`);
    }
    return { ok: true, checked, head };
  }
}

function checkRow(
  row: RawAuditRow,
  expectedSeq: number,
  prevHash: string,
): { seq: number; reason: string } | null {
  if (row.seq !== expectedSeq) {
    const missing =
      row.seq - 1 === expectedSeq ? `row ${expectedSeq} is` : `rows ${expectedSeq}–${row.seq - 1} are`;
    return { seq: expectedSeq, reason: `${missing} missing (the next row is ${row.seq})` };
  }
  if (row.prevHash !== prevHash) {
    const before = row.seq === 1 ? 'the chain start' : `row ${row.seq - 1}`;
    return { seq: row.seq, reason: `prev_hash does not match the hash of ${before}` };
  }
  let details: Record<string, unknown>;
  try {
    details = JSON.parse(row.detailsJson) as Record<string, unknown>;
  } catch {
    return { seq: row.seq, reason: 'details are not valid JSON (row was edited)' };
  }
  const fields = {
    seq: row.seq,
    time: row.time,
    actor: row.actor,
    action: row.action,
    connection: row.connection,
    targetId: row.targetId,
    outcome: row.outcome,
    details,
  };
  if (hashEvent(prevHash, fields) !== row.hash) {
    return { seq: row.seq, reason: 'hash does not match the row’s contents (row was edited)' };
  }
  return null;
}
