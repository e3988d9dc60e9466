/**
 * What the use cases work with: the ports (records, audit log, artifact store, work queue, gateways,
 * notifier), the config, and the clock, ids and randomness as parameters. The composition root
 * (`src/compose/services.ts`) builds it from `snapgate.yml`; tests build it the same way with other
 * parameters, never by mocking our own modules.
 */
import type { AuditLog, CheckpointReason, TakeResult } from '../audit/index.ts';
import type { Config, ConnectionConfig } from '../config/index.ts';
import type { Notifier } from './notifier.ts';
import { KeyRingUnavailableError } from './ports/artifact-errors.ts';
import type { ArtifactStore } from './ports/artifact-store.ts';
import type { CopyTarget } from './ports/copy-target.ts';

export { KeyRingUnavailableError };

import type { Gateway, GatewayErrorClass } from './ports/gateway.ts';
import type { Records } from './ports/records.ts';
import type { WorkQueue } from './ports/work-queue.ts';

export class UnknownConnectionError extends Error {
  constructor(
    readonly connection: string,
    known: readonly string[],
  ) {
    super(`unknown connection "${connection}" (configured: ${known.join(', ') || 'none'})`);
    this.name = 'UnknownConnectionError';
  }
}

export interface Services {
  readonly config: Config;
  /** the records port (backups, restores, audit rows) from `database:` in the config */
  readonly repos: Records;
  readonly audit: AuditLog;
  /**
   * Signs and publishes a checkpoint of the audit chain (src/audit/checkpoints.ts) to the primary's
   * checkpoint store, announced through the notifier. Never throws: a missing key or an unwritable store
   * comes back in `problems`.
   */
  takeAuditCheckpoint(reason: CheckpointReason): Promise<TakeResult>;
  /** where artifacts are written first (`storage.primary`, reported as target `primary`) */
  readonly primary: CopyTarget;
  /** `storage.copies`, each recorded under its target's id */
  readonly copyTargets: readonly CopyTarget[];
  /** the artifact-store port: local copies, hashes and opening a backup from its copies */
  readonly artifacts: ArtifactStore;
  /** the work-queue port; throws when the services were opened without queues (offline CLI verbs) */
  readonly work: WorkQueue;
  readonly notifier: Notifier;
  readonly now: () => Date;
  readonly newId: () => string;
  readonly random: () => number;
  /** the connection's config; throws UnknownConnectionError */
  connection(name: string): ConnectionConfig;
  /** a fresh gateway (the port) for the connection, by its `type` (the caller closes it) */
  gateway(connection: ConnectionConfig): Gateway;
  /** what a gateway error means, for failure reasons and codes; null when no gateway threw it */
  classifyGatewayError(err: unknown): GatewayErrorClass | null;
}

/** The connection's config by name, or undefined: the one lookup every entry point uses. */
export function lookupConnection(config: Config, name: string): ConnectionConfig | undefined {
  return config.connections.find((c) => c.name === name);
}

/** The connection's config, or UnknownConnectionError naming the configured ones. */
export function findConnection(config: Config, name: string): ConnectionConfig {
  const found = lookupConnection(config, name);
  if (!found)
    throw new UnknownConnectionError(
      name,
      config.connections.map((c) => c.name),
    );
  return found;
}
