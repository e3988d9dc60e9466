/**
 * loadConfig: read `snapgate.yml` once, validate the whole file, list every problem at once (fastify's
 * initial-config-validation does the same), resolve secrets, then deep-freeze the result. The environment
 * and the file reader are parameters so tests need neither a real environment nor real files.
 */
import { readFile as fsReadFile } from 'node:fs/promises';
import { dirname, resolve as resolvePath } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { resolveAwsCredentials } from './aws-secrets.ts';
import { type FileMode, fileMode } from './private-file.ts';
import { type ReadTextFile, type ResolvedSecrets, resolveSecrets } from './resolve-secrets.ts';
import { defaultMaxAgeMs } from './schedule-interval.ts';
import { approvalTimeoutMs, type ConfigFile, configFileSchema, normalizePrefix } from './schema.ts';
import { Secret } from './secret.ts';
import { resolveStorageSecrets } from './storage-secrets.ts';
import { targetOverlaps } from './target-overlap.ts';
import type {
  AlertsConfig,
  AwsCredentials,
  Config,
  ConfigProblem,
  ConnectionConfig,
  CopyTargetConfig,
  DatabaseConfig,
  RedisConfig,
  S3Credentials,
  TlsConfig,
} from './types.ts';

export class ConfigError extends Error {
  constructor(
    readonly configPath: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    const lines = problems.map((p) => `  - ${p.path ? `${p.path}: ` : ''}${p.message}`);
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`${configPath} has ${count}:\n${lines.join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  path: string;
  env?: Record<string, string | undefined>;
  readFile?: ReadTextFile;
  /** mode bits of key files (private-file.ts); default: the file system's */
  fileMode?: FileMode;
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, part) => {
    if (typeof part === 'number') return `${acc}[${part}]`;
    return acc === '' ? String(part) : `${acc}.${String(part)}`;
  }, '');
}

function schemaProblems(error: z.ZodError): ConfigProblem[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => `"${k}"`).join(', ');
      return { path: formatPath(issue.path), message: `unknown field ${keys}` };
    }
    if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
      return { path: formatPath(issue.path), message: `is required (expected ${issue.expected})` };
    }
    return { path: formatPath(issue.path), message: issue.message };
  });
}

/** Freezes the config tree; Secrets are already frozen and their value is not reachable to freeze. */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || value instanceof Secret || Object.isFrozen(value))
    return value;
  for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}

/** A target as the rest of snapgate sees it: a plain path is a directory; relative paths are resolved. */
function targetConfig(
  target: ConfigFile['storage']['primary'],
  abs: (p: string) => string,
  credentials: S3Credentials | undefined,
): CopyTargetConfig {
  if (typeof target === 'string') return { type: 'directory', path: abs(target) };
  if (target.type === 'directory') return { ...target, path: abs(target.path) };
  const { credentials: _sources, accessKeyId: _a, secretAccessKey: _s, caFile, objectLock, ...rest } = target;
  return {
    ...rest,
    prefix: normalizePrefix(target.prefix),
    credentials: credentials ?? null,
    ...(caFile ? { caFile: abs(caFile) } : {}),
    objectLock: objectLock ?? null,
  };
}

/** `tls:` of a Kong or Konnect connection, its files resolved against the config's folder. */
function tlsConfig(
  tls:
    | {
        insecure: boolean;
        caFile?: string | undefined;
        certFile?: string | undefined;
        keyFile?: string | undefined;
      }
    | undefined,
  abs: (p: string) => string,
): TlsConfig | null {
  if (!tls) return null;
  return {
    insecure: tls.insecure,
    ...(tls.caFile ? { caFile: abs(tls.caFile) } : {}),
    ...(tls.certFile ? { certFile: abs(tls.certFile) } : {}),
    ...(tls.keyFile ? { keyFile: abs(tls.keyFile) } : {}),
  };
}

function buildConfig(
  configPath: string,
  file: ConfigFile,
  secrets: ResolvedSecrets,
  storageSecrets: Map<string, S3Credentials>,
  awsCredentials: Map<number, AwsCredentials>,
): Config {
  const baseDir = dirname(configPath);
  const abs = (p: string) => resolvePath(baseDir, p);
  const connections = file.connections.map((c, i): ConnectionConfig => {
    const common = {
      name: c.name,
      environment: c.environment,
      owner: c.owner ?? null,
      tags: c.tags,
      schedules: c.schedules.map((s, n) => ({
        name: s.name ?? `schedule-${n + 1}`,
        cron: s.cron,
        timezone: s.timezone,
      })),
      retention: c.retention,
      roles: c.roles ?? { viewer: [], operator: [], approver: [], admin: [] },
      scratch: c.scratch,
      rehearsal: c.rehearsal ?? null,
      alerts: alertsConfig(file.alerts, c.alerts, c.schedules),
      drift: c.drift ? { cron: c.drift.cron, timezone: c.drift.timezone, action: c.drift.action } : null,
    };
    if (c.type === 'konnect') {
      return {
        ...common,
        type: c.type,
        region: c.region ?? null,
        baseUrl: (c.baseUrl ?? `https://${c.region}.api.konghq.com`).replace(/\/+$/, ''),
        controlPlane: c.controlPlane,
        token: secrets.tokens.get(i)!,
        tls: tlsConfig(c.tls, abs),
        exclude: c.exclude,
      };
    }
    if (c.type === 'aws-apigateway') {
      return {
        ...common,
        type: c.type,
        region: c.region,
        endpoint: c.endpoint?.replace(/\/+$/, '') ?? null,
        profile: c.profile ?? null,
        credentials: awsCredentials.get(i) ?? null,
        apis: {
          ids: c.apis?.ids ?? [],
          names: c.apis?.names ?? [],
          tags: Object.fromEntries(
            (c.apis?.tags ?? []).map((t) => [t.slice(0, t.indexOf('=')), t.slice(t.indexOf('=') + 1)]),
          ),
        },
      };
    }
    return {
      ...common,
      type: c.type,
      kongUrl: c.kongUrl.replace(/\/+$/, ''),
      token: secrets.tokens.get(i)!,
      workspace: c.workspace ?? null,
      ...(c.workspaces ? { workspaces: c.workspaces } : {}),
      tls: tlsConfig(c.tls, abs),
      exclude: c.exclude,
    };
  });
  return {
    configPath,
    connections,
    storage: {
      primary: targetConfig(file.storage.primary, abs, storageSecrets.get('primary')),
      copies: file.storage.copies.map((c, i) => targetConfig(c, abs, storageSecrets.get(`copies[${i}]`))),
      allowSingleCopy: file.storage.allowSingleCopy,
    },
    keys: file.keys.map((k, i) => ({ id: k.id, key: secrets.keys.get(i)!, current: k.current })),
    database: databaseConfig(file.database, secrets, abs),
    redis: redisConfig(file.redis, secrets, abs),
    restores: {
      approvalTimeoutMs: approvalTimeoutMs(file.restores.approvalTimeout),
      heartbeatEveryMs: approvalTimeoutMs(file.restores.heartbeatEvery),
    },
    audit: {
      checkpointKey: secrets.checkpointKey ?? null,
      checkpointEveryMs: approvalTimeoutMs(file.audit.checkpointEvery),
    },
    alerts: file.alerts ? { channel: file.alerts.channel, mention: file.alerts.mention ?? null } : null,
    approvers: file.approvers.map((a) => ({
      user: a.user,
      cliUser: a.cliUser ?? null,
      credentialSha256: a.credentialSha256,
    })),
    report: file.report ?? null,
  };
}

/** A connection's alerts: its own channel and mention over the top-level default; none without a channel. */
function alertsConfig(
  defaults: ConfigFile['alerts'],
  own: ConfigFile['connections'][number]['alerts'],
  schedules: readonly { cron: string; timezone: string }[],
): AlertsConfig | null {
  const channel = own?.channel ?? defaults?.channel;
  if (!channel) return null;
  return {
    channel,
    mention: own?.mention ?? defaults?.mention ?? null,
    maxAgeMs: own?.maxAge ? approvalTimeoutMs(own.maxAge) : defaultMaxAgeMs(schedules),
  };
}

function redisConfig(
  r: ConfigFile['redis'],
  secrets: ResolvedSecrets,
  abs: (p: string) => string,
): RedisConfig {
  return {
    prefix: r.prefix,
    ...(r.url ? { url: r.url } : {}),
    ...(r.username ? { username: r.username } : {}),
    password: secrets.redisPassword,
    ...(r.tls
      ? {
          tls: {
            insecure: r.tls.insecure,
            ...(r.tls.caFile ? { caFile: abs(r.tls.caFile) } : {}),
            ...(r.tls.certFile ? { certFile: abs(r.tls.certFile) } : {}),
            ...(r.tls.keyFile ? { keyFile: abs(r.tls.keyFile) } : {}),
          },
        }
      : {}),
    ...(r.sentinel
      ? { sentinel: { name: r.sentinel.name, nodes: r.sentinel.nodes, password: secrets.sentinelPassword } }
      : {}),
    ...(r.cluster ? { cluster: { nodes: r.cluster.nodes } } : {}),
  };
}

function databaseConfig(
  d: ConfigFile['database'],
  secrets: ResolvedSecrets,
  abs: (p: string) => string,
): DatabaseConfig {
  if (d.url === undefined) return { path: abs(d.path!) };
  return {
    url: d.url,
    password: secrets.databasePassword,
    schema: d.schema ?? 'public',
    ssl: {
      mode: d.ssl?.mode ?? 'disable',
      ...(d.ssl?.caFile ? { caFile: abs(d.ssl.caFile) } : {}),
    },
    poolSize: d.poolSize ?? 10,
  };
}

export async function loadConfig(options: LoadConfigOptions): Promise<Config> {
  const configPath = resolvePath(options.path);
  const env = options.env ?? process.env;
  const readFile = options.readFile ?? ((p: string) => fsReadFile(p, 'utf8'));

  let text: string;
  try {
    text = await readFile(configPath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new ConfigError(configPath, [{ path: '', message: `cannot read the config file (${code})` }]);
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => {
      const line = e.linePos?.[0];
      return {
        path: line ? `line ${line.line}:${line.col}` : '',
        message: `YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
      };
    });
    throw new ConfigError(configPath, problems);
  }
  const raw: unknown = doc.toJS() ?? {};

  const parsed = configFileSchema.safeParse(raw);
  const secrets = await resolveSecrets(raw, env, readFile, dirname(configPath), options.fileMode ?? fileMode);
  const storageSecrets = await resolveStorageSecrets((raw as { storage?: unknown } | null)?.storage, {
    env,
    readFile,
    baseDir: dirname(configPath),
    problems: secrets.problems,
  });
  const awsCredentials = await resolveAwsCredentials((raw as { connections?: unknown } | null)?.connections, {
    env,
    readFile,
    baseDir: dirname(configPath),
    problems: secrets.problems,
  });
  const problems = [...(parsed.success ? [] : schemaProblems(parsed.error)), ...secrets.problems];
  if (!parsed.success) throw new ConfigError(configPath, problems);
  const config = buildConfig(configPath, parsed.data, secrets, storageSecrets, awsCredentials);
  problems.push(...targetOverlaps(config.storage.primary, config.storage.copies));
  if (problems.length > 0) throw new ConfigError(configPath, problems);

  return deepFreeze(config);
}
