/**
 * The composition root: one place that opens everything a snapgate process needs — records, audit log,
 * key ring, copy targets, the work queue over BullMQ, gateways by connection type — from the config, and
 * closes it again. `serve`, `worker`, the CLI and the local console all go through `createServices`;
 * side effects (clock, ids, randomness, gateway construction, notifier) are parameters so tests can swap
 * them without mocking our own modules.
 */
import { randomUUID } from 'node:crypto';
import { ConsoleNotifier, type Notifier, safeNotify } from '../app/notifier.ts';
import type { WorkQueue } from '../app/ports/work-queue.ts';
import { findConnection, KeyRingUnavailableError, lookupConnection, type Services } from '../app/services.ts';
import {
  type AuditCheckpointer,
  type CheckpointReason,
  createAuditLog,
  type TakeResult,
} from '../audit/index.ts';
import type { Config, CopyTargetConfig, RedisConfig } from '../config/index.ts';
import {
  connectProducer,
  DEFAULT_RETRY,
  type JobsRuntime,
  openQueues,
  type Queues,
  type RetryPolicy,
} from '../jobs/queues.ts';
import { queuePrefix, type RedisClient } from '../jobs/redis-connection.ts';
import { bullmqWorkQueue } from '../jobs/work-queue.ts';
import {
  artifactConnection,
  createArtifactStore,
  createCopyTarget,
  KeyRing,
  objectLockUntil,
} from '../storage/index.ts';
import { openAuditCheckpointer } from './audit-checkpoints.ts';
import { classifyGatewayError, type GatewayOpener, openGateway } from './gateways.ts';
import { openRecords } from './records.ts';

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

/**
 * The services plus what only the BullMQ side and process lifecycle need (queues, the producer
 * connection, retry policy). Entry points and `src/jobs` take this; use cases take `Services`.
 */
export interface Runtime extends Services, JobsRuntime {
  /** the key ring from config (key rotation, rewrap); throws KeyRingUnavailableError when it cannot be built */
  keyRing(): KeyRing;
  close(): Promise<void>;
}

export async function createServices(options: CreateServicesOptions): Promise<Runtime> {
  const { config } = options;
  const now = options.now ?? (() => new Date());
  const newId = options.newId ?? (() => randomUUID());
  const repos = await openRecords(config.database, { now, newId });
  const audit = createAuditLog(repos.audit, { now });
  // tests point the services at their own Redis URL or key prefix
  const redisConfig: RedisConfig = options.redis?.url
    ? { ...config.redis, url: options.redis.url, prefix: options.redis.prefix ?? config.redis.prefix }
    : { ...config.redis, prefix: options.redis?.prefix ?? config.redis.prefix };
  const redisPrefix = queuePrefix(redisConfig);

  let producer: RedisClient | undefined;
  let queues: Queues | undefined;
  if (!options.withoutQueues) {
    try {
      producer = await connectProducer(redisConfig);
    } catch (err) {
      await repos.close();
      throw err;
    }
    queues = openQueues(producer, redisPrefix);
  }
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const work = queues ? bullmqWorkQueue(queues, { retry, now }) : undefined;

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
  const open = (target: CopyTargetConfig) =>
    createCopyTarget(target, {
      now,
      // Object Lock: at least until the artifact's connection's retention policy could first remove it
      retainUntil: (name: string, at: Date) => {
        const owner = artifactConnection(name);
        const connection = owner === null ? undefined : lookupConnection(config, owner);
        const retain = target.type === 's3' ? target.objectLock?.retain : undefined;
        return objectLockUntil(at, retain, connection?.retention);
      },
    });
  const primary = open(config.storage.primary);
  const copyTargets = config.storage.copies.map(open);
  const gatewayFactory = options.gatewayFactory ?? openGateway;
  const notifier = options.notifier ?? new ConsoleNotifier();
  let checkpointer: AuditCheckpointer | undefined;
  const takeAuditCheckpoint = async (reason: CheckpointReason): Promise<TakeResult> => {
    try {
      checkpointer ??= openAuditCheckpointer(config, audit, primary, {
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
    primary,
    copyTargets,
    artifacts: createArtifactStore({ primary, copyTargets, keyRing }),
    get work(): WorkQueue {
      if (!work) throw new Error('these services were opened without queues (no Redis)');
      return work;
    },
    get queues(): Queues {
      if (!queues) throw new Error('these services were opened without queues (no Redis)');
      return queues;
    },
    get redis(): RedisClient {
      if (!producer) throw new Error('these services were opened without queues (no Redis)');
      return producer;
    },
    redisConfig,
    redisPrefix,
    retry,
    notifier,
    now,
    newId,
    random: options.random ?? Math.random,
    keyRing,
    connection: (name) => findConnection(config, name),
    gateway: gatewayFactory,
    classifyGatewayError,
    async close() {
      if (closed) return;
      closed = true;
      if (queues) await Promise.all(Object.values(queues).map((q) => q.close()));
      producer?.disconnect();
      await Promise.all([primary, ...copyTargets].map((t) => t.close?.()));
      await repos.close();
    },
  };
}
