/**
 * One place that opens everything a snapgate process needs — records, audit log, key ring, copy targets,
 * BullMQ queues, Kong clients — and closes it again. The worker, the CLI and the bot all go through
 * `createServices`; side effects (clock, ids, randomness, Kong client construction, notifier) are
 * parameters so tests can swap them without mocking our own modules.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ArtifactStore } from '../app/ports/artifact-store.ts';
import type { Gateway, GatewayErrorClass } from '../app/ports/gateway.ts';
import type { Records } from '../app/ports/records.ts';
import {
  type AuditCheckpointer,
  type AuditLog,
  type CheckpointReason,
  createAuditLog,
  type TakeResult,
} from '../audit/index.ts';
import { openAuditCheckpointer } from '../compose/audit-checkpoints.ts';
import { classifyGatewayError, type GatewayOpener, openGateway } from '../compose/gateways.ts';
import { openRecords } from '../compose/records.ts';
import type { Config, ConnectionConfig } from '../config/index.ts';
import { type CopyTarget, createArtifactStore, createCopyTarget, KeyRing } from '../storage/index.ts';
import { ConsoleNotifier, type Notifier, safeNotify } from './notifier.ts';
import { connectProducer, DEFAULT_RETRY, openQueues, type Queues, type RetryPolicy } from './queues.ts';

export class UnknownConnectionError extends Error {
  constructor(
    readonly connection: string,
    known: readonly string[],
  ) {
    super(`unknown connection "${connection}" (configured: ${known.join(', ') || 'none'})`);
    this.name = 'UnknownConnectionError';
  }
}

/** The key ring could not be built from the config: no current key, or a key of the wrong size. */
export class KeyRingUnavailableError extends Error {
  constructor(reason: string) {
    super(`key missing: ${reason}; check the keys section of the config and the key's env variable or file`);
    this.name = 'KeyRingUnavailableError';
  }
}

export interface CreateServicesOptions {
  config: Config;
  now?: () => Date;
  newId?: () => string;
  random?: () => number;
  /** overrides `config.redis`; `prefix` lets tests use a random BullMQ namespace */
  redis?: { url?: string; prefix?: string };
  notifier?: Notifier;
  /** opens the gateway of a connection; default: the registry in src/compose/gateways.ts */
  gatewayFactory?: GatewayOpener;
  /** backup job retries; tests shorten the backoff */
  retry?: Partial<RetryPolicy>;
  /** skip Redis entirely (offline CLI verbs: backups list, audit, artifact export) */
  withoutQueues?: boolean;
}

export interface Services {
  readonly config: Config;
  /** the records port (backups, restores, audit rows) from `database:` in the config */
  readonly repos: Records;
  readonly audit: AuditLog;
  /**
   * Signs and publishes a checkpoint of the audit chain (src/audit/checkpoints.ts), announced through the
   * notifier. Never throws: a missing key or an unwritable store comes back in `problems`.
   */
  takeAuditCheckpoint(reason: CheckpointReason): Promise<TakeResult>;
  /** artifacts' primary directory */
  readonly primaryDir: string;
  readonly copyTargets: readonly CopyTarget[];
  /** the artifact-store port: local copies, hashes and opening a backup from its copies */
  readonly artifacts: ArtifactStore;
  /** the producer-side queues (fail fast); throws when the services were opened `withoutQueues` */
  readonly queues: Queues;
  /** the producer connection (fail-fast); for locks and ad-hoc reads */
  readonly redis: Redis;
  readonly redisUrl: string;
  readonly redisPrefix: string;
  readonly retry: RetryPolicy;
  readonly notifier: Notifier;
  readonly now: () => Date;
  readonly newId: () => string;
  readonly random: () => number;
  /** the key ring from config; throws KeyRingUnavailableError when it cannot be built */
  keyRing(): KeyRing;
  /** the connection's config; throws UnknownConnectionError */
  connection(name: string): ConnectionConfig;
  /** a fresh gateway (the port) for the connection, by its `type` (the caller closes it) */
  gateway(connection: ConnectionConfig): Gateway;
  /** what a gateway error means, for failure reasons and codes; null when no gateway threw it */
  classifyGatewayError(err: unknown): GatewayErrorClass | null;
  close(): Promise<void>;
}

export async function createServices(options: CreateServicesOptions): Promise<Services> {
  const { config } = options;
  const now = options.now ?? (() => new Date());
  const newId = options.newId ?? (() => randomUUID());
  const repos = openRecords(config.database, { now, newId });
  const audit = createAuditLog(repos.audit, { now });
  const redisUrl = options.redis?.url ?? config.redis.url;
  const redisPrefix = options.redis?.prefix ?? config.redis.prefix;

  let producer: Redis | undefined;
  let queues: Queues | undefined;
  if (!options.withoutQueues) {
    try {
      producer = await connectProducer(redisUrl);
    } catch (err) {
      await repos.close();
      throw err;
    }
    queues = openQueues(producer, redisPrefix);
  }

  let ring: KeyRing | undefined;
  const keyRing = (): KeyRing => {
    if (!ring) {
      try {
        ring = KeyRing.fromConfig(config.keys);
      } catch (err) {
        throw new KeyRingUnavailableError((err as Error).message);
      }
    }
    return ring;
  };
  const copyTargets = config.storage.copies.map(createCopyTarget);
  const gatewayFactory = options.gatewayFactory ?? openGateway;
  const notifier = options.notifier ?? new ConsoleNotifier();
  let checkpointer: AuditCheckpointer | undefined;
  const takeAuditCheckpoint = async (reason: CheckpointReason): Promise<TakeResult> => {
    try {
      checkpointer ??= openAuditCheckpointer(config, audit, {
        now,
        announce: (event) => safeNotify(() => notifier.auditCheckpoint?.(event)),
      });
      return await checkpointer.take(reason);
    } catch (err) {
      return { checkpoint: null, locations: [], problems: [`audit checkpoint: ${(err as Error).message}`] };
    }
  };
  let closed = false;

  return {
    config,
    repos,
    audit,
    takeAuditCheckpoint,
    primaryDir: config.storage.primary,
    copyTargets,
    artifacts: createArtifactStore({ copyTargets, keyRing }),
    get queues(): Queues {
      if (!queues) throw new Error('these services were opened without queues (no Redis)');
      return queues;
    },
    get redis(): Redis {
      if (!producer) throw new Error('these services were opened without queues (no Redis)');
      return producer;
    },
    redisUrl,
    redisPrefix,
    retry: { ...DEFAULT_RETRY, ...options.retry },
    notifier,
    now,
    newId,
    random: options.random ?? Math.random,
    keyRing,
    connection(name) {
      const found = config.connections.find((c) => c.name === name);
      if (!found)
        throw new UnknownConnectionError(
          name,
          config.connections.map((c) => c.name),
        );
      return found;
    },
    gateway: gatewayFactory,
    classifyGatewayError,
    async close() {
      if (closed) return;
      closed = true;
      if (queues) await Promise.all(Object.values(queues).map((q) => q.close()));
      producer?.disconnect();
      await repos.close();
    },
  };
}
