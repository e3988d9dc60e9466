/**
 * Taking and checking signed checkpoints of the audit chain (transparency-log style). `take` signs the
 * head only when the chain still extends the newest published checkpoint (a consistency check, so a cut
 * or rewritten chain is never blessed by a later signature), then publishes it to every checkpoint store
 * and announces it (the audit channel). `verifyAgainstCheckpoint` names what happened to a chain that
 * no longer matches a checkpoint: emptied, truncated, rewritten, or a row edited or removed.
 */
import type { CheckpointStore } from '../app/ports/audit-checkpoints.ts';
import type { AuditAnchor, AuditLog, AuditVerifyResult } from './audit-log.ts';
import {
  type AuditCheckpoint,
  CHECKPOINT_NAME,
  type CheckpointKey,
  type CheckpointKeys,
  checkpointName,
  checkSignature,
  parseCheckpoint,
  serializeCheckpoint,
  signCheckpoint,
} from './checkpoint-format.ts';

export type CheckpointReason = 'periodic' | 'restore-decision' | 'manual';

/** What a checkpoint run tells the outside (the audit channel, the worker log). */
export type CheckpointEvent =
  | { kind: 'published'; checkpoint: AuditCheckpoint; reason: CheckpointReason; locations: string[] }
  | { kind: 'refused'; reason: CheckpointReason; message: string };

export interface TakeResult {
  checkpoint: AuditCheckpoint | null;
  /** where it landed */
  locations: string[];
  /** stores that failed (the checkpoint still went to the others) */
  problems: string[];
  /** why nothing was signed: no new rows, an empty log, or (refused) a chain that broke */
  skipped?: string;
  refused?: string;
}

export interface CheckpointerDeps {
  log: AuditLog;
  keys: CheckpointKeys;
  stores: readonly CheckpointStore[];
  now: () => Date;
  /** the audit channel post; must not throw into the caller (failures are reported, not raised) */
  announce?: (event: CheckpointEvent) => Promise<void> | void;
}

export interface PublishedCheckpoint {
  checkpoint: AuditCheckpoint;
  /** `<store id>/<name>` */
  from: string;
}

/** The newest checkpoint over all stores (by name: signing time, then seq); null when none was published. */
export async function newestCheckpoint(
  stores: readonly CheckpointStore[],
): Promise<PublishedCheckpoint | null> {
  let best: { store: CheckpointStore; name: string } | null = null;
  for (const store of stores) {
    const names = (await store.list()).filter((n) => CHECKPOINT_NAME.test(n));
    for (const name of names) if (!best || name > best.name) best = { store, name };
  }
  if (!best) return null;
  return {
    checkpoint: parseCheckpoint(await best.store.get(best.name)),
    from: `${best.store.id}/${best.name}`,
  };
}

export class AuditCheckpointer {
  constructor(private readonly deps: CheckpointerDeps) {}

  async take(reason: CheckpointReason): Promise<TakeResult> {
    const result = await this.sign(reason);
    if (result.refused) await this.tell({ kind: 'refused', reason, message: result.refused });
    if (result.checkpoint && result.locations.length > 0) {
      await this.tell({
        kind: 'published',
        checkpoint: result.checkpoint,
        reason,
        locations: result.locations,
      });
    }
    return result;
  }

  private async sign(reason: CheckpointReason): Promise<TakeResult> {
    const { log, keys, stores } = this.deps;
    const none = { checkpoint: null, locations: [], problems: [] };
    const prev = await newestCheckpoint(stores);
    if (prev) {
      const bad = checkSignature(prev.checkpoint, keys.verifying);
      if (bad) return { ...none, refused: `the newest checkpoint ${prev.from} cannot be trusted: ${bad}` };
    }
    const r = prev ? await log.verifyFrom(prev.checkpoint) : await log.verify();
    if (!r.ok) {
      const against = prev ? `checkpoint #${prev.checkpoint.seq} (${prev.checkpoint.time})` : 'its own start';
      return {
        ...none,
        refused: `audit chain does not extend ${against}: row ${r.firstBroken?.seq}: ${r.firstBroken?.reason}`,
      };
    }
    const head = r.head;
    if (!head) return { ...none, skipped: 'the audit log is empty' };
    if (
      prev &&
      prev.checkpoint.seq === head.seq &&
      prev.checkpoint.hash === head.hash &&
      reason === 'periodic'
    ) {
      return { ...none, skipped: `no events since checkpoint #${head.seq}` };
    }
    // an unbroken chain starts at 1 with no gaps (just proven), so its row count is the head's seq
    const checkpoint = signCheckpoint({ ...head, count: head.seq, time: this.deps.now() }, keys.signing);
    const body = serializeCheckpoint(checkpoint);
    const name = checkpointName(checkpoint);
    const locations: string[] = [];
    const problems: string[] = [];
    for (const store of stores) {
      try {
        locations.push(await store.put(name, body));
      } catch (err) {
        problems.push(`${store.id}: ${(err as Error).message}`);
      }
    }
    return { checkpoint, locations, problems };
  }

  private async tell(event: CheckpointEvent): Promise<void> {
    try {
      await this.deps.announce?.(event);
    } catch {
      // the announcement is best effort; the stored checkpoint is the record
    }
  }
}

export type IntegrityFinding =
  | 'ok'
  | 'unanchored'
  | 'emptied'
  | 'truncated'
  | 'rewritten'
  | 'broken'
  | 'bad_checkpoint';

export interface IntegrityReport {
  ok: boolean;
  finding: IntegrityFinding;
  /** one line for people */
  message: string;
  checked: number;
  head: AuditAnchor | null;
  checkpoint: AuditCheckpoint | null;
}

/**
 * The chain against a checkpoint (or alone when none was published). The chain is walked once for its own
 * consistency; then its head is compared with the signed one. Truncation shows as a head below the
 * checkpoint's (with the sequence reset, the chain is otherwise whole); a chain cut and refilled, or
 * recomputed whole, shows as another hash at the checkpoint's seq.
 */
export async function verifyAgainstCheckpoint(
  log: AuditLog,
  checkpoint: AuditCheckpoint | null,
  keys: readonly CheckpointKey[],
): Promise<IntegrityReport> {
  const report = (ok: boolean, finding: IntegrityFinding, message: string, r?: AuditVerifyResult) => ({
    ok,
    finding,
    message,
    checked: r?.checked ?? 0,
    head: r?.head ?? null,
    checkpoint,
  });
  if (checkpoint) {
    const bad = checkSignature(checkpoint, keys);
    if (bad) return report(false, 'bad_checkpoint', `the checkpoint cannot be trusted: ${bad}`);
  }
  const r = await log.verify();
  const head = await log.head();
  const headText = (a: AuditAnchor | null) => (a ? `#${a.seq} ${a.hash}` : '(empty)');
  if (!checkpoint) {
    if (!r.ok) {
      return report(
        false,
        'broken',
        `audit chain broken at row ${r.firstBroken?.seq}: ${r.firstBroken?.reason}`,
        r,
      );
    }
    return report(
      true,
      'unanchored',
      `ok: ${r.checked} events, head ${headText(r.head)}; no signed checkpoint was published, so only the chain's own consistency is proven (a cut or rewritten log would not show)`,
      r,
    );
  }
  const cp = `checkpoint #${checkpoint.seq} (${checkpoint.count} events, signed ${checkpoint.time} by ${checkpoint.keyId})`;
  if (head === null && checkpoint.count > 0) {
    return report(false, 'emptied', `EMPTIED: the audit log has no rows, but ${cp} was published`, r);
  }
  const headSeq = head?.seq ?? 0;
  if (headSeq < checkpoint.seq) {
    const gone =
      headSeq + 1 === checkpoint.seq
        ? `row ${checkpoint.seq} is`
        : `rows ${headSeq + 1}–${checkpoint.seq} are`;
    return report(
      false,
      'truncated',
      `TRUNCATED: the audit log ends at row ${headSeq} but ${cp} covers row ${checkpoint.seq}: ${gone} gone`,
      r,
    );
  }
  if (!r.ok) {
    return report(
      false,
      'broken',
      `audit chain broken at row ${r.firstBroken?.seq}: ${r.firstBroken?.reason}`,
      r,
    );
  }
  const atCheckpoint = await hashAt(log, checkpoint.seq);
  if (checkpoint.seq > 0 && atCheckpoint !== checkpoint.hash) {
    return report(
      false,
      'rewritten',
      `REWRITTEN: row ${checkpoint.seq}'s hash is ${atCheckpoint ?? '(missing)'}, but ${cp} signed ${checkpoint.hash}: the chain up to it was rewritten (or cut and refilled)`,
      r,
    );
  }
  return report(
    true,
    'ok',
    `ok: ${r.checked} events, head ${headText(r.head)}; matches ${cp}, ${r.checked - checkpoint.count} events since`,
    r,
  );
}

async function hashAt(log: AuditLog, seq: number): Promise<string | null> {
  const [row] = await log.list({ beforeSeq: seq + 1, limit: 1 });
  return row?.seq === seq ? row.hash : null;
}

export { parseCheckpoint };
