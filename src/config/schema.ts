/**
 * The shape of `snapgate.yml` as written by people (before secrets are resolved). Objects are strict so
 * a typo (`keepDialy`) is reported instead of silently ignored. Checks that need more than one field
 * (unique names, exactly one current key, the 3-2-1 rule) sit on the smallest enclosing node, so they still
 * run when an unrelated part of the file is wrong. Secrets are resolved later by `resolve-secrets.ts`.
 */
import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { EXCLUDABLE_SECTIONS } from '../core/profile.ts';
import { parseDuration } from '../core/retention.ts';

const NAME = /^[a-z0-9][a-z0-9-]*$/;
const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** The rule for connection, environment, schedule and target names; artifact headers are checked by it too. */
export const CONFIG_NAME_PATTERN = NAME;
export const CONFIG_NAME_RULE = 'lowercase letters, digits and "-", starting with a letter or digit';
export const KEY_ID_PATTERN = KEY_ID;
export const KEY_ID_RULE = '1-64 letters, digits, ".", "_" or "-"';

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const name = (what: string) => z.string().regex(NAME, `${what} must be ${CONFIG_NAME_RULE}`);

const duration = z.string().superRefine((text, ctx) => {
  try {
    parseDuration(text);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
});

const count = z.number().int('must be a whole number').nonnegative('must be 0 or more');

export const DEFAULT_KEEP_PRE_RESTORE = '30d';

export const retentionSchema = z.strictObject({
  keepDaily: count.optional(),
  keepWeekly: count.optional(),
  keepMonthly: count.optional(),
  keepWithin: duration.optional(),
  minAge: duration.optional(),
  /** a safety net, not a keep rule: a pre-restore backup is kept this long so its restore can be undone */
  keepPreRestore: duration.default(DEFAULT_KEEP_PRE_RESTORE),
});

/** A cron pattern that parses in its time zone (schedules, rehearsals, drift checks, the report). */
function checkCron(s: { cron: string; timezone: string }, ctx: z.RefinementCtx): void {
  try {
    CronExpressionParser.parse(s.cron, { tz: s.timezone });
  } catch (err) {
    ctx.addIssue({
      code: 'custom',
      path: ['cron'],
      message: `invalid cron "${s.cron}": ${(err as Error).message}`,
    });
  }
}

export const scheduleSchema = z
  .strictObject({
    name: name('schedule name').optional(),
    cron: z.string().min(1),
    timezone: z
      .string()
      .refine(isTimeZone, { message: 'not an IANA time zone (e.g. UTC, Europe/Berlin)' })
      .default('UTC'),
  })
  .superRefine(checkCron);

/** A Slack channel id (`C…` public, `G…` private): names change, ids do not. */
const slackChannel = z
  .string()
  .regex(
    /^[CG][A-Z0-9]{2,}$/,
    'must be a Slack channel id (C… or G…), not a #name: names change, ids do not',
  );

/** One cron pattern with its time zone, checked as the schedules' are. */
const cronEntry = {
  cron: scheduleSchema.shape.cron,
  timezone: scheduleSchema.shape.timezone,
};

/**
 * `rehearsal:` — restore a backup of this connection into `target` (a connection marked `scratch: true`)
 * on `cron`, then check zero drift. `among: N` picks one of the newest N backups at random (1: the newest).
 */
export const rehearsalSchema = z
  .strictObject({
    ...cronEntry,
    target: name('rehearsal target'),
    among: z.number().int('among must be a whole number').min(1).max(100).default(1),
  })
  .superRefine(checkCron);

/** `report:` — the weekly report, posted to `channel` on `cron` (default Mondays 08:00 UTC). */
export const reportSchema = z
  .strictObject({
    channel: slackChannel,
    cron: scheduleSchema.shape.cron.default('0 8 * * 1'),
    timezone: scheduleSchema.shape.timezone,
  })
  .superRefine(checkCron);

/** Where a connection's alerts go (issue 16): a channel, who to mention, how old the newest backup may get. */
export const connectionAlertsSchema = z.strictObject({
  channel: z.string().min(1).optional(),
  /** a Slack user (U…), user group (S…) or `here`/`channel`; shown as a mention on each alert */
  mention: z.string().min(1).optional(),
  /** the dead man's switch: no completed backup for this long → alert (default 1.5 × the schedule's interval) */
  maxAge: duration.optional(),
});

/** The default for every connection: `alerts:` at the top of snapgate.yml. */
export const alertsSchema = z.strictObject({
  channel: z.string().min(1),
  mention: z.string().min(1).optional(),
});

export const DRIFT_ACTIONS = ['notify', 'backup'] as const;

/** Drift detection: compare the live gateway with the newest backup on a cron; `backup` also takes one. */
export const driftSchema = z
  .strictObject({
    ...cronEntry,
    action: z.enum(DRIFT_ACTIONS).default('notify'),
  })
  .superRefine(checkCron);

const principals = z.array(z.string().min(1, 'a user or group id must not be empty')).default([]);

/** Written by the bot issue: Slack user (U…/W…) or user-group (S…) ids per role and connection. */
export const rolesSchema = z.strictObject({
  viewer: principals,
  operator: principals,
  approver: principals,
  admin: principals,
});

export const tlsSchema = z.strictObject({
  caFile: z.string().min(1).optional(),
  certFile: z.string().min(1).optional(),
  keyFile: z.string().min(1).optional(),
  insecure: z.boolean().default(false),
});

const INLINE_TOKEN =
  'an inline token is not allowed (it would live in the config file): name an environment variable ' +
  'with tokenEnv or a file with tokenFile';

/**
 * Gateway types a connection may name; `kong` when absent, so every existing snapgate.yml keeps working.
 * A new gateway type adds its name here (and its own fields) and registers itself in src/compose/gateways.ts.
 */
export const GATEWAY_TYPES = ['kong', 'konnect', 'aws-apigateway'] as const;

/** Konnect's regions: `https://{region}.api.konghq.com` (Kong/deck cmd/root.go, control-planes-config spec servers). */
export const KONNECT_REGIONS = ['us', 'eu', 'au', 'me', 'in'] as const;

const kongConnectionSchema = z.strictObject({
  name: name('connection name'),
  type: z.literal('kong').default('kong'),
  kongUrl: z.url({ protocol: /^https?$/, error: 'kongUrl must be an http(s) URL of the Kong Admin API' }),
  token: z.never({ error: INLINE_TOKEN }).optional(),
  tokenEnv: z.string().min(1).optional(),
  tokenFile: z.string().min(1).optional(),
  workspace: z.string().min(1).optional(),
  /** Kong Enterprise: back up and restore every workspace (`all`) or these, in one artifact */
  workspaces: z
    .union(
      [
        z.literal('all'),
        z
          .array(
            z
              .string()
              .regex(/^[A-Za-z0-9._~-]+$/, 'a workspace name is letters, digits, ".", "_", "~" or "-"'),
          )
          .min(1, 'workspaces lists at least one workspace (or is `all`)'),
      ],
      { error: 'workspaces is `all` or a list of workspace names' },
    )
    .optional(),
  environment: name('environment'),
  owner: z.string().min(1).optional(),
  tags: z.array(z.string().min(1)).default([]),
  tls: tlsSchema.optional(),
  schedules: z
    .array(scheduleSchema)
    .default([])
    .superRefine((list, ctx) => {
      const names = list.map((s, i) => s.name ?? `schedule-${i + 1}`);
      names.forEach((n, i) => {
        if (names.indexOf(n) !== i)
          ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate schedule name "${n}"` });
      });
    }),
  retention: retentionSchema.default({ keepPreRestore: DEFAULT_KEEP_PRE_RESTORE }),
  roles: rolesSchema.optional(),
  /** the backup profile: sections left out of every backup of this connection (personal data) */
  exclude: z
    .array(
      z.enum(EXCLUDABLE_SECTIONS, {
        error: `exclude takes sections holding personal data: ${EXCLUDABLE_SECTIONS.join(', ')}`,
      }),
    )
    .default([])
    .refine((list) => new Set(list).size === list.length, { message: 'exclude names a section twice' }),
  /** a throw-away gateway rehearsals restore into; never a rehearsal's source */
  scratch: z.boolean().default(false),
  rehearsal: rehearsalSchema.optional(),
  alerts: connectionAlertsSchema.optional(),
  drift: driftSchema.optional(),
});

const INLINE_KONNECT_TOKEN =
  'an inline token is not allowed (it would live in the config file): name an environment variable ' +
  'with tokenEnv or a file with tokenFile holding the Konnect personal (kpat_…) or system account (spat_…) token';

/**
 * What every connection has whatever its gateway type — who owns it, its schedules, retention, roles,
 * rehearsals, alerts and drift checks — as the Kong connection declares it: a field added there is
 * offered on Konnect and AWS connections too, not copied into each.
 */
const OPERATIONS = kongConnectionSchema.pick({
  environment: true,
  owner: true,
  tags: true,
  schedules: true,
  retention: true,
  roles: true,
  scratch: true,
  rehearsal: true,
  alerts: true,
  drift: true,
}).shape;

/**
 * `type: konnect`: one Kong Konnect control plane, by exact name or id, in a region (or at `baseUrl`:
 * a private-link host, a simulator), with an access token from env or file.
 */
const konnectConnectionSchema = z
  .strictObject({
    name: kongConnectionSchema.shape.name,
    type: z.literal('konnect'),
    region: z
      .enum(KONNECT_REGIONS, { error: `region must be one of: ${KONNECT_REGIONS.join(', ')}` })
      .optional(),
    baseUrl: z
      .url({ protocol: /^https?$/, error: 'baseUrl must be an http(s) URL of the Konnect API' })
      .optional(),
    controlPlane: z.string().min(1, 'controlPlane names a control plane (its exact name or id)'),
    token: z.never({ error: INLINE_KONNECT_TOKEN }).optional(),
    tokenEnv: z.string().min(1).optional(),
    tokenFile: z.string().min(1).optional(),
    tls: tlsSchema.optional(),
    ...OPERATIONS,
    exclude: kongConnectionSchema.shape.exclude,
  })
  .superRefine((c, ctx) => {
    if (c.region === undefined && c.baseUrl === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['region'],
        message: `a konnect connection needs region (${KONNECT_REGIONS.join(', ')}) or baseUrl`,
      });
    }
    if (c.region !== undefined && c.baseUrl !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: 'give region or baseUrl, not both' });
    }
  });

/** A key pair's `credentials:` block: each part from a named variable or file; inline values refused. */
function keyCredentialsSchema(inline: string) {
  return z.strictObject({
    accessKeyIdEnv: z.string().min(1).optional(),
    accessKeyIdFile: z.string().min(1).optional(),
    secretAccessKeyEnv: z.string().min(1).optional(),
    secretAccessKeyFile: z.string().min(1).optional(),
    sessionTokenEnv: z.string().min(1).optional(),
    sessionTokenFile: z.string().min(1).optional(),
    accessKeyId: z.never({ error: inline }).optional(),
    secretAccessKey: z.never({ error: inline }).optional(),
    sessionToken: z.never({ error: inline }).optional(),
  });
}

const INLINE_AWS_SECRET =
  'inline AWS credentials are not allowed (they would live in the config file): use accessKeyIdEnv / ' +
  'secretAccessKeyEnv, accessKeyIdFile / secretAccessKeyFile, a profile, or leave credentials out for the SDK ' +
  'default chain';

/**
 * `type: aws-apigateway`: the REST APIs of one account in one region. Credentials come from named
 * environment variables or files, a shared-config `profile`, or the SDK's default chain; never inline.
 * `endpoint` points the client elsewhere (a VPC endpoint, the simulator). `apis` selects REST APIs by id,
 * name or tags (all REST APIs of the region when absent).
 */
const awsConnectionSchema = z.strictObject({
  name: kongConnectionSchema.shape.name,
  type: z.literal('aws-apigateway'),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'region must be an AWS region such as eu-west-1'),
  endpoint: z.url({ protocol: /^https?$/, error: 'endpoint must be an http(s) URL' }).optional(),
  profile: z.string().min(1).optional(),
  credentials: keyCredentialsSchema(INLINE_AWS_SECRET).optional(),
  apis: z
    .strictObject({
      ids: z
        .array(z.string().regex(/^[a-z0-9]{10}$/, 'a REST API id is 10 lowercase letters and digits'))
        .optional(),
      names: z.array(z.string().min(1)).optional(),
      tags: z.array(z.string().regex(/^[^=]+=.*$/, 'a tag is key=value')).optional(),
    })
    .optional(),
  ...OPERATIONS,
});

/** A connection: Kong when `type` is absent, so every existing snapgate.yml keeps working. */
export const connectionSchema = z.discriminatedUnion(
  'type',
  [
    kongConnectionSchema.superRefine((c, ctx) => {
      if (c.workspace !== undefined && c.workspaces !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['workspaces'],
          message: 'give workspace (one workspace) or workspaces (several in one backup), not both',
        });
      }
    }),
    konnectConnectionSchema,
    awsConnectionSchema,
  ],
  {
    error: `type must be one of: ${GATEWAY_TYPES.join(', ')}`,
  },
);

const INLINE_S3_SECRET =
  'inline S3 credentials are not allowed (they would live in the config file): use accessKeyIdEnv / ' +
  'secretAccessKeyEnv, accessKeyIdFile / secretAccessKeyFile, or leave credentials out for the SDK default chain';

const s3CredentialsSchema = keyCredentialsSchema(INLINE_S3_SECRET);

/** Storage classes whose objects can be read back at once (verification reads every object). */
export const S3_STORAGE_CLASSES = [
  'STANDARD',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER_IR',
  'REDUCED_REDUNDANCY',
] as const;

const s3TargetSchema = z.strictObject({
  type: z.literal('s3'),
  name: name('target name').optional(),
  /** absent: AWS S3 for the region; else MinIO, Ceph RGW, R2, B2, GCS interop … */
  endpoint: z.url({ protocol: /^https?$/, error: 'endpoint must be an http(s) URL' }).optional(),
  region: z.string().min(1, 'region is required (us-east-1 for most S3-compatible stores)'),
  bucket: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      'bucket must be an S3 bucket name: 3-63 lowercase letters, digits, "." and "-"',
    ),
  /** objects are `<prefix><artifact name>`; a prefix that does not end with "/" gets one */
  prefix: z
    .string()
    .refine(
      (p) => !p.startsWith('/') && !p.split('/').includes('..'),
      'prefix must not start with "/" or contain ".."',
    )
    .default(''),
  forcePathStyle: z.boolean().default(false),
  credentials: s3CredentialsSchema.optional(),
  caFile: z.string().min(1).optional(),
  storageClass: z
    .enum(S3_STORAGE_CLASSES, {
      error: `storageClass must be one of ${S3_STORAGE_CLASSES.join(', ')} (archive classes cannot be read back for verification)`,
    })
    .optional(),
  serverSideEncryption: z
    .discriminatedUnion('algorithm', [
      z.strictObject({ algorithm: z.literal('AES256') }),
      z.strictObject({ algorithm: z.literal('aws:kms'), kmsKeyId: z.string().min(1).optional() }),
    ])
    .optional(),
  objectLock: z
    .strictObject({
      mode: z.enum(['governance', 'compliance']),
      /** at least this long; never shorter than the retention policy's minimum keep (minAge, keepWithin) */
      retain: duration.optional(),
    })
    .optional(),
  accessKeyId: z.never({ error: INLINE_S3_SECRET }).optional(),
  secretAccessKey: z.never({ error: INLINE_S3_SECRET }).optional(),
});

/** `type: directory | s3`: a new store type adds its schema here and one line in createCopyTarget. */
export const copyTargetSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('directory'),
    name: name('target name').optional(),
    path: z.string().min(1),
  }),
  s3TargetSchema,
]);

/** A prefix as used in object keys: empty, or ending with one "/". */
export function normalizePrefix(prefix: string): string {
  return prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
}

export const storageSchema = z
  .strictObject({
    /** a target like each copy; a plain path is a directory (every older snapgate.yml says it so) */
    primary: z.union([z.string().min(1), copyTargetSchema]),
    copies: z.array(copyTargetSchema).default([]),
    allowSingleCopy: z.boolean().default(false),
  })
  .superRefine((s, ctx) => {
    if (s.copies.length === 0 && !s.allowSingleCopy) {
      ctx.addIssue({
        code: 'custom',
        path: ['copies'],
        message:
          'at least one copy target is required so the 3-2-1 rule can be met (another disk or a mounted remote); ' +
          'set allowSingleCopy: true to accept a single copy',
      });
    }
    // two targets in one place (same, nested or overlapping): checked on resolved paths by load.ts
    // (target-overlap.ts)
    const names = [s.primary, ...s.copies].map((t) => (typeof t === 'string' ? undefined : t.name));
    names.forEach((n, i) => {
      if (n !== undefined && names.indexOf(n) !== i) {
        const path = i === 0 ? ['primary', 'name'] : ['copies', i - 1, 'name'];
        ctx.addIssue({ code: 'custom', path, message: `duplicate target name "${n}"` });
      }
    });
  });

export const keySchema = z.strictObject({
  id: z.string().regex(KEY_ID, `key id must be ${KEY_ID_RULE}`),
  env: z.string().min(1).optional(),
  file: z.string().min(1).optional(),
  current: z.boolean().default(false),
});

export const keysSchema = z
  .array(keySchema)
  .min(1, 'at least one key is required')
  .superRefine((keys, ctx) => {
    const current = keys.filter((k) => k.current).length;
    if (keys.length > 0 && current !== 1) {
      ctx.addIssue({ code: 'custom', message: `exactly one key must have current: true (found ${current})` });
    }
    keys.forEach((k, i) => {
      if (keys.findIndex((o) => o.id === k.id) !== i) {
        ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate key id "${k.id}"` });
      }
    });
  });

/** `90s`, `30m`, `2h`: how long a restore request may wait for its approval. */
const APPROVAL_TIMEOUT = /^([1-9][0-9]*)(s|m|h)$/;

export function approvalTimeoutMs(text: string): number {
  const m = APPROVAL_TIMEOUT.exec(text);
  if (!m) throw new RangeError(`"${text}" is not a duration like 90s, 30m or 2h`);
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 's' | 'm' | 'h'];
}

export const restoresSchema = z.strictObject({
  approvalTimeout: z
    .string()
    .regex(APPROVAL_TIMEOUT, 'approvalTimeout must be a duration like 90s, 30m or 2h')
    .default('30m'),
  /**
   * how often a running restore's worker records that it is alive; a running restore silent for six
   * times this long is taken as stopped (failed, connection freed) without waiting for its job lock
   */
  heartbeatEvery: z
    .string()
    .regex(APPROVAL_TIMEOUT, 'heartbeatEvery must be a duration like 10s or 1m')
    .default('10s'),
});

/**
 * Break-glass approval on the CLI (`snapgate approve --as U… --credential-file F`): the approver proves who
 * they are with a credential only they hold; the config keeps its SHA-256 (a random 32-byte credential
 * needs no slow hash). `cliUser` is their login on the hosts where snapgate runs, so their own CLI
 * requests (`cli:<login>`) are recognised as theirs.
 */
export const approversSchema = z
  .array(
    z.strictObject({
      user: z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'user must be a Slack user id (U… or W…)'),
      cliUser: z
        .string()
        .regex(
          /^[A-Za-z0-9._@-]{1,64}$/,
          'cliUser must be a login name (letters, digits, ".", "_", "@", "-")',
        )
        .optional(),
      credentialSha256: z
        .string()
        .regex(
          /^[0-9a-f]{64}$/,
          'credentialSha256 must be 64 hex characters (snapgate approvers credential prints it)',
        ),
    }),
  )
  .superRefine((list, ctx) => {
    list.forEach((a, i) => {
      if (list.findIndex((o) => o.user === a.user) !== i)
        ctx.addIssue({ code: 'custom', path: [i, 'user'], message: `duplicate approver "${a.user}"` });
      if (list.findIndex((o) => o.credentialSha256 === a.credentialSha256) !== i)
        ctx.addIssue({
          code: 'custom',
          path: [i, 'credentialSha256'],
          message: 'two approvers share one credential: each person needs their own',
        });
    });
  });

/** `15m`, `1h`: how often workers sign a checkpoint of the audit chain (restore decisions sign one too). */
export const auditSchema = z.strictObject({
  /** an Ed25519 private key (PEM) of its own; without it checkpoints are signed with a key derived from the current key-ring key */
  checkpointKeyFile: z.string().min(1).optional(),
  checkpointEvery: z
    .string()
    .regex(APPROVAL_TIMEOUT, 'checkpointEvery must be a duration like 90s, 15m or 1h')
    .default('15m'),
});
/** `require` encrypts without checking the server; `verify-ca` checks its chain; `verify-full` also its name. */
export const POSTGRES_SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;

const INLINE_DB_PASSWORD =
  'an inline password is not allowed (it would live in the config file): name an environment variable ' +
  'with passwordEnv or a file with passwordFile';

/** A PostgreSQL URL without a password or query string (those have their own fields). */
const postgresUrl = z
  .string()
  .min(1)
  .superRefine((text, ctx) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'url must be a postgres:// URL' });
      return;
    }
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
      ctx.addIssue({ code: 'custom', message: 'url must be a postgres:// (or postgresql://) URL' });
    }
    if (url.password !== '') ctx.addIssue({ code: 'custom', message: INLINE_DB_PASSWORD });
    if (url.search !== '') {
      ctx.addIssue({
        code: 'custom',
        message: 'url must not carry query parameters: use the ssl, schema and passwordEnv fields',
      });
    }
  });

/**
 * `database:` names SQLite (`path`) or PostgreSQL (`url`, with its password from the environment or a
 * file, a schema of its own and TLS). Exactly one of the two; PostgreSQL's fields need `url`.
 */
const INLINE_REDIS_PASSWORD =
  'a Redis password in the URL or inline is refused: name an environment variable (passwordEnv) or a file (passwordFile)';

const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'each node is host:port (for example 10.0.0.5:26379)');

/**
 * Where the queues live: one server (`url`, redis:// or rediss:// for TLS), a Sentinel-managed master
 * (`sentinel`), or a Cluster (`cluster`). Credentials from env or file (ACL `username` + password), never
 * inline; `prefix` separates installations sharing one Redis (in a Cluster it becomes a `{hash tag}`).
 */
export const redisSchema = z
  .strictObject({
    url: z.url({ protocol: /^rediss?$/, error: 'redis.url must be a redis:// or rediss:// URL' }).optional(),
    prefix: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'prefix must be 1-64 letters, digits, "_", "." or "-"')
      .default('snapgate'),
    username: z.string().min(1).optional(),
    password: z.never({ error: INLINE_REDIS_PASSWORD }).optional(),
    passwordEnv: z.string().min(1).optional(),
    passwordFile: z.string().min(1).optional(),
    tls: z
      .strictObject({
        caFile: z.string().min(1).optional(),
        certFile: z.string().min(1).optional(),
        keyFile: z.string().min(1).optional(),
        insecure: z.boolean().default(false),
      })
      .optional(),
    sentinel: z
      .strictObject({
        name: z.string().min(1),
        nodes: z.array(hostPort).min(1),
        /** when the sentinels themselves need a password (sentinel's own `requirepass`) */
        passwordEnv: z.string().min(1).optional(),
      })
      .optional(),
    cluster: z.strictObject({ nodes: z.array(hostPort).min(1) }).optional(),
  })
  .superRefine((r, ctx) => {
    const places = [r.url, r.sentinel, r.cluster].filter((p) => p !== undefined).length;
    if (places !== 1) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of url, sentinel or cluster' });
    }
    if (r.url) {
      const u = new URL(r.url);
      if (u.password) ctx.addIssue({ code: 'custom', path: ['url'], message: INLINE_REDIS_PASSWORD });
      if (u.username && r.username) {
        ctx.addIssue({
          code: 'custom',
          path: ['username'],
          message: 'give the ACL user in the URL or as username, not both',
        });
      }
      if (r.tls && u.protocol !== 'rediss:') {
        ctx.addIssue({ code: 'custom', path: ['tls'], message: 'tls applies to a rediss:// URL' });
      }
    }
    if ((r.tls?.certFile === undefined) !== (r.tls?.keyFile === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['tls'],
        message: 'give certFile and keyFile together (client certificate)',
      });
    }
  });

export const databaseSchema = z
  .strictObject({
    path: z.string().min(1).optional(),
    url: postgresUrl.optional(),
    password: z.never({ error: INLINE_DB_PASSWORD }).optional(),
    passwordEnv: z.string().min(1).optional(),
    passwordFile: z.string().min(1).optional(),
    schema: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'schema must be lowercase letters, digits and "_" (at most 63)')
      .optional(),
    ssl: z
      .strictObject({
        mode: z.enum(POSTGRES_SSL_MODES, { error: `mode must be one of: ${POSTGRES_SSL_MODES.join(', ')}` }),
        caFile: z.string().min(1).optional(),
      })
      .optional(),
    poolSize: z.number().int().min(1).max(100).optional(),
  })
  .superRefine((d, ctx) => {
    if ((d.path === undefined) === (d.url === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: 'give either path (SQLite) or url (PostgreSQL), exactly one',
      });
    }
    if (d.path !== undefined) {
      for (const field of ['passwordEnv', 'passwordFile', 'schema', 'ssl', 'poolSize'] as const) {
        if (d[field] !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: `${field} applies to PostgreSQL (url) only`,
          });
        }
      }
    }
    if (d.ssl?.mode === 'disable' && d.ssl.caFile !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['ssl', 'caFile'],
        message: 'caFile needs an ssl mode other than disable',
      });
    }
  });

export const configFileSchema = z.strictObject({
  connections: z
    .array(connectionSchema)
    .min(1, 'at least one connection is required')
    .superRefine((list, ctx) => {
      list.forEach((c, i) => {
        if (list.findIndex((o) => o.name === c.name) !== i) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'name'],
            message: `duplicate connection name "${c.name}"`,
          });
        }
      });
      checkRehearsals(list, ctx);
    }),
  storage: storageSchema,
  keys: keysSchema,
  database: databaseSchema,
  redis: redisSchema.default({ url: 'redis://127.0.0.1:6379', prefix: 'snapgate' }),
  restores: restoresSchema.default({ approvalTimeout: '30m', heartbeatEvery: '10s' }),
  audit: auditSchema.default({ checkpointEvery: '15m' }),
  approvers: approversSchema.default([]),
  report: reportSchema.optional(),
  alerts: alertsSchema.optional(),
});

/**
 * Where a connection's gateway is (`address`), and for Kong which workspaces of it (`places`: `*` for
 * `workspaces: all`): two connections write to the same gateway when their addresses are equal and their
 * places overlap (a `workspaces` connection reaches every workspace it names).
 */
function gatewayPlace(c: z.infer<typeof connectionSchema>): { address: string; places: string[] } {
  if (c.type === 'aws-apigateway') {
    const address = JSON.stringify([
      c.type,
      c.region,
      c.endpoint ?? null,
      c.profile ?? null,
      c.credentials ?? null,
    ]);
    return { address, places: ['*'] };
  }
  if (c.type === 'konnect') {
    const base = (c.baseUrl ?? `https://${c.region}.api.konghq.com`).replace(/\/+$/, '');
    return { address: JSON.stringify([c.type, base, c.controlPlane]), places: ['*'] };
  }
  const places =
    c.workspaces === 'all' ? ['*'] : c.workspaces ? [...c.workspaces] : [c.workspace ?? 'default'];
  return { address: JSON.stringify([c.type, c.kongUrl.replace(/\/+$/, '')]), places };
}

function sameGateway(a: z.infer<typeof connectionSchema>, b: z.infer<typeof connectionSchema>): boolean {
  const x = gatewayPlace(a);
  const y = gatewayPlace(b);
  if (x.address !== y.address) return false;
  return x.places.includes('*') || y.places.includes('*') || x.places.some((p) => y.places.includes(p));
}

/**
 * A rehearsal writes only to a connection marked `scratch: true`, of the same gateway type, that is not
 * itself and that no other (non-scratch) connection reaches: a scratch marking on production's address
 * would let a rehearsal overwrite production.
 */
function checkRehearsals(list: z.infer<typeof connectionSchema>[], ctx: z.RefinementCtx): void {
  list.forEach((c, i) => {
    if (c.scratch) {
      const twin = list.find((o) => !o.scratch && sameGateway(o, c));
      if (twin) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'scratch'],
          message: `scratch connection "${c.name}" reaches the same gateway as "${twin.name}"; a rehearsal would overwrite it`,
        });
      }
      if (c.rehearsal) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'rehearsal'],
          message: `"${c.name}" is a scratch connection: rehearsals restore into it, not from it`,
        });
      }
    }
    if (!c.rehearsal) return;
    const path = [i, 'rehearsal', 'target'];
    const target = list.find((o) => o.name === c.rehearsal?.target);
    if (!target) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `rehearsal target "${c.rehearsal.target}" is not a connection`,
      });
    } else if (target.name === c.name) {
      ctx.addIssue({ code: 'custom', path, message: 'a connection cannot rehearse into itself' });
    } else if (!target.scratch) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `rehearsal target "${target.name}" is not marked scratch: true; rehearsals only write to scratch connections`,
      });
    } else if (target.type !== c.type) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `rehearsal target "${target.name}" is a ${target.type} connection; "${c.name}" is ${c.type}`,
      });
    }
  });
}

export type ConfigFile = z.infer<typeof configFileSchema>;
export type ConnectionFile = z.infer<typeof connectionSchema>;
