/**
 * The audit checkpoints' registry: which key signs them (`audit.checkpointKeyFile`, else a key derived
 * from the current key-ring key) and which stores they are published to (the primary copy target's
 * `checkpointStore()`: a directory primary → `<path>/audit-checkpoints/`; another kind of target joins by
 * implementing `checkpointStore`). Keys never come from the
 * database: a database admin who rewrites the audit chain cannot sign its new head.
 */
import type { CheckpointStore } from '../app/ports/audit-checkpoints.ts';
import {
  AuditCheckpointer,
  type AuditLog,
  type CheckpointEvent,
  type CheckpointKey,
  type CheckpointKeys,
  checkpointKeyFromPem,
  checkpointKeyFromRingKey,
  type IntegrityReport,
  newestCheckpoint,
  parseCheckpoint,
  verifyAgainstCheckpoint,
} from '../audit/index.ts';
import type { Config } from '../config/index.ts';
import { type CopyTarget, createCopyTarget } from '../storage/index.ts';

export function checkpointKeys(config: Config): CheckpointKeys {
  const ring = config.keys.map((k) => ({
    current: k.current,
    key: checkpointKeyFromRingKey(k.id, k.key.reveal()),
  }));
  const own: CheckpointKey | null = config.audit.checkpointKey
    ? checkpointKeyFromPem(config.audit.checkpointKey.reveal())
    : null;
  const current = ring.find((k) => k.current)?.key ?? ring[0]?.key;
  const signing = own ?? current;
  if (!signing) throw new Error('no key to sign audit checkpoints with: configure a key ring key');
  return { signing, verifying: [...(own ? [own] : []), ...ring.map((k) => k.key)] };
}

/** Where checkpoints are published: the primary target's store (none when its kind cannot hold them). */
export function checkpointStores(primary: CopyTarget): CheckpointStore[] {
  return primary.checkpointStore ? [primary.checkpointStore()] : [];
}

export function openAuditCheckpointer(
  config: Config,
  log: AuditLog,
  primary: CopyTarget,
  deps: { now: () => Date; announce?: (event: CheckpointEvent) => Promise<void> | void },
): AuditCheckpointer {
  return new AuditCheckpointer({
    log,
    keys: checkpointKeys(config),
    stores: checkpointStores(primary),
    now: deps.now,
    ...(deps.announce ? { announce: deps.announce } : {}),
  });
}

/** Which checkpoint `audit verify` checks against. */
export type CheckpointSource =
  /** a checkpoint's JSON handed in (a file, the Slack post) */
  | { text: string; from: string }
  /** the newest published; none published is a failure */
  | 'store'
  /** the newest published when there is one, else the chain alone (said so in the message) */
  | 'auto';

export interface AuditVerifyReport extends IntegrityReport {
  /** where the checkpoint came from, when one was used */
  from: string | null;
}

/** `snapgate audit verify` and `/kong audit verify`: the chain against the chosen checkpoint. */
export async function verifyAuditLog(
  config: Config,
  log: AuditLog,
  source: CheckpointSource,
): Promise<AuditVerifyReport> {
  const keys = checkpointKeys(config).verifying;
  if (typeof source === 'object') {
    const checkpoint = parseCheckpoint(source.text);
    return { ...(await verifyAgainstCheckpoint(log, checkpoint, keys)), from: source.from };
  }
  const stores = checkpointStores(createCopyTarget(config.storage.primary));
  const newest = await newestCheckpoint(stores);
  if (!newest && source === 'store') {
    const r = await verifyAgainstCheckpoint(log, null, keys);
    return {
      ...r,
      ok: false,
      message: `no audit checkpoint is published in ${stores.map((s) => s.id).join(', ')}; ${r.message}`,
      from: null,
    };
  }
  return {
    ...(await verifyAgainstCheckpoint(log, newest?.checkpoint ?? null, keys)),
    from: newest?.from ?? null,
  };
}
