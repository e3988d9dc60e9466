/** The validated, resolved and frozen configuration every other module receives. */
import type { ExcludableSection } from '../core/profile.ts';
import type { RetentionPolicy } from '../core/retention.ts';
import type { Secret } from './secret.ts';

export type Role = 'viewer' | 'operator' | 'approver' | 'admin';

export interface ScheduleConfig {
  /** Unique within the connection; `schedule-<n>` when the file gives none. */
  name: string;
  cron: string;
  timezone: string;
}

export interface TlsConfig {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  insecure: boolean;
}

/** What every connection has, whatever its gateway type. */
export interface ConnectionCommon {
  name: string;
  environment: string;
  owner: string | null;
  tags: readonly string[];
  schedules: readonly ScheduleConfig[];
  /** An empty policy keeps every backup. */
  retention: RetentionPolicy;
  /** Slack user or user-group ids per role; empty lists when the file has no `roles`. */
  roles: Readonly<Record<Role, readonly string[]>>;
  /** the backup profile: sections every backup leaves out (and what is scoped to them); empty keeps all */
  exclude?: readonly ExcludableSection[];
  /** a throw-away gateway that rehearsals restore into without approval (absent: false) */
  scratch?: boolean;
  /** restore rehearsals of this connection's backups into a scratch connection (absent: none) */
  rehearsal?: RehearsalConfig | null;
  /** where this connection's alerts go (its own `alerts:` over the top-level default); null: nowhere */
  alerts?: AlertsConfig | null;
  /** drift detection on a cron; null: only `/kong drift` */
  drift?: DriftConfig | null;
}

export interface RehearsalConfig {
  cron: string;
  timezone: string;
  /** the scratch connection written to (checked at load: `scratch: true`, same type, not this one) */
  target: string;
  /** pick one of the newest `among` completed backups at random; 1 = always the newest */
  among: number;
}

/** The weekly report: where and when it is posted. */
export interface ReportConfig {
  channel: string;
  cron: string;
  timezone: string;
}

/** A connection's alerts, resolved: the connection's own settings over the top-level `alerts:`. */
export interface AlertsConfig {
  channel: string;
  /** `U…`, `S…`, `here` or `channel`; null: nobody is mentioned */
  mention: string | null;
  /** the dead man's switch; null when the connection has no schedule and no `maxAge` */
  maxAgeMs: number | null;
}

export interface DriftConfig {
  cron: string;
  timezone: string;
  /** `notify` posts the drift card; `backup` also takes a backup labelled `drift` */
  action: 'notify' | 'backup';
}

export interface KongConnectionConfig extends ConnectionCommon {
  /** the gateway type (`kong` by default): picks the gateway implementation in src/compose/gateways.ts */
  type: 'kong';
  kongUrl: string;
  token: Secret<string>;
  workspace: string | null;
  /**
   * Kong Enterprise: every workspace (`all`) or these, in one backup; null for one workspace
   * (`workspace`). Each entity of such a backup carries its workspace (src/core/workspace.ts).
   */
  workspaces?: 'all' | readonly string[] | null;
  tls: TlsConfig | null;
}

export type KonnectRegion = 'us' | 'eu' | 'au' | 'me' | 'in';

/** A Kong Konnect control plane, reached through Konnect's regional API with an access token. */
export interface KonnectConnectionConfig extends ConnectionCommon {
  type: 'konnect';
  /** `https://{region}.api.konghq.com`, or the connection's `baseUrl` (private link, a simulator) */
  baseUrl: string;
  /** null when `baseUrl` was given instead */
  region: KonnectRegion | null;
  /** the control plane's exact name, or its id */
  controlPlane: string;
  /** a personal (`kpat_…`) or system account (`spat_…`) access token, from env or file */
  token: Secret<string>;
  tls: TlsConfig | null;
}

/** Which REST APIs of the account a connection covers; every one when all lists are empty. */
export interface AwsApiSelection {
  ids: readonly string[];
  names: readonly string[];
  tags: Readonly<Record<string, string>>;
}

export interface AwsApiGatewayConnectionConfig extends ConnectionCommon {
  type: 'aws-apigateway';
  region: string;
  /** another endpoint than the region's (a VPC endpoint, a simulator) */
  endpoint: string | null;
  /** a shared-config profile; with neither it nor `credentials`, the SDK's default chain */
  profile: string | null;
  /** from named environment variables or files, never from the config file itself */
  credentials: AwsCredentials | null;
  apis: AwsApiSelection;
}

export interface AwsCredentials {
  accessKeyId: Secret<string>;
  secretAccessKey: Secret<string>;
  sessionToken?: Secret<string>;
}

export type ConnectionConfig = KongConnectionConfig | KonnectConnectionConfig | AwsApiGatewayConnectionConfig;

export interface DirectoryTargetConfig {
  type: 'directory';
  /** what `--target` may call it; the target's id stays `directory:<path>` */
  name?: string;
  path: string;
}

export interface S3Credentials {
  accessKeyId: Secret<string>;
  secretAccessKey: Secret<string>;
  sessionToken?: Secret<string>;
}

export interface S3TargetConfig {
  type: 's3';
  name?: string;
  /** absent: AWS S3 for `region` */
  endpoint?: string;
  region: string;
  bucket: string;
  /** empty or ending with "/" */
  prefix: string;
  forcePathStyle: boolean;
  /** null: the AWS SDK's default credential chain */
  credentials: S3Credentials | null;
  /** absolute path of a PEM bundle to trust for the endpoint's TLS certificate */
  caFile?: string;
  storageClass?: string;
  serverSideEncryption?: { algorithm: 'AES256' } | { algorithm: 'aws:kms'; kmsKeyId?: string };
  objectLock: { mode: 'governance' | 'compliance'; retain?: string } | null;
}

/** Discriminated on `type`: a new store type adds its config here. */
export type CopyTargetConfig = DirectoryTargetConfig | S3TargetConfig;

export interface StorageConfig {
  /** where artifacts are written first; `storage.primary: <path>` in the file is a directory */
  primary: CopyTargetConfig;
  copies: readonly CopyTargetConfig[];
  allowSingleCopy: boolean;
}

export interface KeyConfig {
  id: string;
  /** 32 bytes: the key-encryption key. */
  key: Secret<Buffer>;
  current: boolean;
}

/** SQLite: one file, for one instance (the default). */
export interface SqliteDatabaseConfig {
  path: string;
}

export type PostgresSslMode = 'disable' | 'require' | 'verify-ca' | 'verify-full';

/** PostgreSQL: records shared by every serve and worker process of an installation. */
export interface PostgresDatabaseConfig {
  /** `postgres://user@host:port/database`, never with a password in it */
  url: string;
  /** from `passwordEnv` / `passwordFile`; null when the server needs none (trust, peer, a .pgpass file) */
  password: Secret<string> | null;
  /** the schema the tables live in (one per installation sharing a database); default `public` */
  schema: string;
  /** TLS to the server; `disable` unless the file says otherwise */
  ssl: { mode: PostgresSslMode; caFile?: string };
  /** connections per process; default 10 */
  poolSize: number;
}

export type DatabaseConfig = SqliteDatabaseConfig | PostgresDatabaseConfig;

export interface Config {
  /** Absolute path of the file this came from; relative paths inside it are resolved against its folder. */
  configPath: string;
  connections: readonly ConnectionConfig[];
  storage: StorageConfig;
  keys: readonly KeyConfig[];
  /** `path` → SQLite, `url` → PostgreSQL (src/compose/records.ts picks the implementation) */
  database: DatabaseConfig;
  redis: RedisConfig;
  /** restore requests: how long one waits for approval before it expires (default 30 minutes) */
  restores: {
    approvalTimeoutMs: number;
    /** a running restore's heartbeat; silent for 6× this → its worker is taken as stopped (default 10 s) */
    heartbeatEveryMs?: number;
  };
  /** signed checkpoints of the audit chain: its own Ed25519 key (PEM) if configured, and how often */
  audit: { checkpointKey: Secret<string> | null; checkpointEveryMs: number };
  /** who may approve on the CLI, each proving it with their own credential (its SHA-256 here) */
  approvers?: readonly ApproverConfig[];
  /** the weekly report (absent or null: none is posted; `snapgate report` still prints it) */
  report?: ReportConfig | null;
  /** `alerts:` at the top level: the default channel and mention of every connection */
  alerts?: { channel: string; mention: string | null } | null;
}

export interface ApproverConfig {
  /** Slack user id, as in `roles` */
  user: string;
  /** their login where snapgate's CLI runs: requests by `cli:<login>` are theirs */
  cliUser: string | null;
  credentialSha256: string;
}

export interface ConfigProblem {
  /** Dotted path into the file, e.g. `connections[0].tokenEnv`; empty for the file as a whole. */
  path: string;
  message: string;
}

/** `redis:` resolved: the password read from env or file, paths absolute. */
export interface RedisConfig {
  /** a single server (redis:// or rediss://); absent for sentinel and cluster */
  url?: string;
  prefix: string;
  username?: string;
  password?: Secret<string> | null;
  tls?: { caFile?: string; certFile?: string; keyFile?: string; insecure: boolean };
  sentinel?: { name: string; nodes: string[]; password?: Secret<string> | null };
  cluster?: { nodes: string[] };
}
