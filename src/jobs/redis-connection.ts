/**
 * Connections to the Redis that holds the queues, from `redis:` in the config: one server (`url`,
 * `rediss://` for TLS with an optional CA and client certificate), a master found through Sentinel, or a
 * Cluster; an ACL user and a password read from env or file (never inline). BullMQ takes either kind of
 * client (bullmq guide/connections.md, guide/redis-cluster.md). In a Cluster every key of a queue must hash
 * to one slot, so the queue prefix becomes a hash tag: `{snapgate}` (bullmq guide/redis-cluster.md).
 */
import { readFileSync } from 'node:fs';
import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import type { RedisConfig } from '../config/index.ts';

/** What the queues, workers, locks and the request ledger talk to. */
export type RedisClient = Redis | Cluster;

function hostPort(node: string): { host: string; port: number } {
  const at = node.lastIndexOf(':');
  return { host: node.slice(0, at), port: Number(node.slice(at + 1)) };
}

/** TLS for rediss:// (and for Sentinel or Cluster nodes when `tls` is set). */
function tlsOptions(config: RedisConfig): RedisOptions['tls'] | undefined {
  const rediss = config.url?.startsWith('rediss://') ?? false;
  if (!rediss && !config.tls) return undefined;
  const tls = config.tls;
  return {
    ...(tls?.caFile ? { ca: readFileSync(tls.caFile) } : {}),
    ...(tls?.certFile ? { cert: readFileSync(tls.certFile) } : {}),
    ...(tls?.keyFile ? { key: readFileSync(tls.keyFile) } : {}),
    ...(tls?.insecure ? { rejectUnauthorized: false } : {}),
  };
}

/** The options every connection shares: credentials and TLS, then the caller's behaviour options. */
function serverOptions(config: RedisConfig, base: RedisOptions): RedisOptions {
  const tls = tlsOptions(config);
  return {
    ...base,
    ...(config.username ? { username: config.username } : {}),
    ...(config.password ? { password: config.password.reveal() } : {}),
    ...(tls ? { tls } : {}),
  };
}

/**
 * A new client for `config`. `base` sets the behaviour (retries, offline queue, lazy connect); a Cluster
 * applies it to each node's connection.
 */
export function openRedis(config: RedisConfig, base: RedisOptions = {}): RedisClient {
  if (config.cluster) {
    const { lazyConnect, ...node } = serverOptions(config, base);
    const options: ClusterOptions = {
      redisOptions: node,
      ...(lazyConnect ? { lazyConnect } : {}),
      ...(base.enableOfflineQueue === false ? { enableOfflineQueue: false } : {}),
      ...(base.maxRetriesPerRequest !== undefined ? { maxRedirections: 16 } : {}),
      clusterRetryStrategy: (times) =>
        base.retryStrategy ? (base.retryStrategy(times) ?? null) : Math.min(times * 200, 2000),
    };
    return new Cluster(config.cluster.nodes.map(hostPort), options);
  }
  if (config.sentinel) {
    const { sentinel } = config;
    return new Redis({
      ...serverOptions(config, base),
      sentinels: sentinel.nodes.map(hostPort),
      name: sentinel.name,
      ...(sentinel.password ? { sentinelPassword: sentinel.password.reveal() } : {}),
    });
  }
  return new Redis(config.url ?? 'redis://127.0.0.1:6379', serverOptions(config, base));
}

/** The queue prefix: the configured one, as a hash tag in a Cluster. */
export function queuePrefix(config: RedisConfig): string {
  return config.cluster ? `{${config.prefix}}` : config.prefix;
}

/** Where Redis is, for messages and logs: never a password. */
export function describeRedis(config: RedisConfig): string {
  const user = config.username ? `${config.username}@` : '';
  if (config.cluster) return `the Redis Cluster at ${user}${config.cluster.nodes.join(',')}`;
  if (config.sentinel) {
    return `the Redis master "${config.sentinel.name}" (sentinels ${config.sentinel.nodes.join(',')})`;
  }
  try {
    const u = new URL(config.url ?? 'redis://127.0.0.1:6379');
    u.password = '';
    if (config.username && !u.username) u.username = config.username;
    return `Redis at ${u.toString().replace(/\/$/, '')}`;
  } catch {
    return 'Redis at <invalid url>';
  }
}
