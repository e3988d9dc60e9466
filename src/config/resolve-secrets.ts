/**
 * Reads tokens and key-encryption keys from the environment or files named in the config. Works on the
 * raw parsed YAML (not the schema output) so secret problems are listed even when another part of the file
 * is invalid. Messages name the variable or file, never the value.
 */
import { createPrivateKey } from 'node:crypto';
import { resolve as resolvePath } from 'node:path';
import { type FileMode, openModeProblem } from './private-file.ts';
import { Secret } from './secret.ts';
import type { ConfigProblem } from './types.ts';

export type ReadTextFile = (path: string) => Promise<string>;

export interface ResolvedSecrets {
  tokens: Map<number, Secret<string>>;
  keys: Map<number, Secret<Buffer>>;
  /** `audit.checkpointKeyFile`'s PEM, checked to be an Ed25519 private key */
  checkpointKey?: Secret<string>;
  /** PostgreSQL's password (`database.passwordEnv` / `passwordFile`); null when none is named */
  databasePassword: Secret<string> | null;
  /** Redis's password (`redis.passwordEnv` / `passwordFile`) and the sentinels' (`redis.sentinel.passwordEnv`) */
  redisPassword: Secret<string> | null;
  sentinelPassword: Secret<string> | null;
  problems: ConfigProblem[];
}

export interface ReadSourceContext {
  env: Record<string, string | undefined>;
  readFile: ReadTextFile;
  baseDir: string;
  problems: ConfigProblem[];
  /** mode bits of a file (key files must be private to their owner); absent: not checked */
  fileMode?: FileMode;
}

interface SourceSpec {
  envField: string;
  fileField: string;
  what: string;
  /** a key: refused when group or others may read the file (private-file.ts) */
  privateFile?: boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;

/** 32 bytes as 64 hex characters or base64 (standard or URL-safe); null when it is neither. */
export function decodeKey(text: string): Buffer | null {
  const t = text.trim();
  if (HEX_KEY.test(t)) return Buffer.from(t, 'hex');
  if (BASE64_KEY.test(t)) {
    const bytes = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    return bytes.length === 32 ? bytes : null;
  }
  return null;
}

export async function readSource(
  item: Record<string, unknown>,
  path: string,
  spec: SourceSpec,
  ctx: ReadSourceContext,
): Promise<{ text: string; from: string } | null> {
  const envName = item[spec.envField];
  const file = item[spec.fileField];
  const hasEnv = typeof envName === 'string' && envName !== '';
  const hasFile = typeof file === 'string' && file !== '';
  if (hasEnv && hasFile) {
    ctx.problems.push({
      path,
      message: `give ${spec.what} either ${spec.envField} or ${spec.fileField}, not both`,
    });
    return null;
  }
  if (hasEnv) {
    const value = ctx.env[envName];
    if (value === undefined || value.trim() === '') {
      ctx.problems.push({
        path: `${path}.${spec.envField}`,
        message: `environment variable ${envName} is not set (it should hold ${spec.what})`,
      });
      return null;
    }
    return { text: value.trim(), from: `environment variable ${envName}` };
  }
  if (hasFile) {
    const full = resolvePath(ctx.baseDir, file);
    if (spec.privateFile && ctx.fileMode) {
      const problem = openModeProblem(full, await ctx.fileMode(full));
      if (problem) {
        ctx.problems.push({ path: `${path}.${spec.fileField}`, message: problem });
        return null;
      }
    }
    try {
      const text = (await ctx.readFile(full)).trim();
      if (text === '') {
        ctx.problems.push({ path: `${path}.${spec.fileField}`, message: `file ${full} is empty` });
        return null;
      }
      return { text, from: `file ${full}` };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      ctx.problems.push({ path: `${path}.${spec.fileField}`, message: `cannot read ${full} (${code})` });
      return null;
    }
  }
  if (item.token === undefined) {
    ctx.problems.push({
      path,
      message: `${spec.what} is missing: set ${spec.envField} or ${spec.fileField}`,
    });
  }
  return null;
}

const KONNECT_TOKEN = /^(kpat|spat)_\S+$/;

export async function resolveSecrets(
  raw: unknown,
  env: Record<string, string | undefined>,
  readFile: ReadTextFile,
  baseDir: string,
  fileMode?: FileMode,
): Promise<ResolvedSecrets> {
  const out: ResolvedSecrets = {
    tokens: new Map(),
    keys: new Map(),
    databasePassword: null,
    redisPassword: null,
    sentinelPassword: null,
    problems: [],
  };
  const ctx: ReadSourceContext = {
    env,
    readFile,
    baseDir,
    problems: out.problems,
    ...(fileMode ? { fileMode } : {}),
  };
  if (!isRecord(raw)) return out;
  const connections = Array.isArray(raw.connections) ? raw.connections : [];
  for (const [i, c] of connections.entries()) {
    if (!isRecord(c)) continue;
    // only Kong connections have a token (an AWS connection's credentials: aws-secrets.ts; an unknown type
    // is the schema's to refuse)
    if (c.type !== undefined && c.type !== 'kong' && c.type !== 'konnect') continue;
    const konnect = c.type === 'konnect';
    const spec = {
      envField: 'tokenEnv',
      fileField: 'tokenFile',
      what: konnect ? 'the Konnect access token' : 'the Kong admin token',
    };
    const found = await readSource(c, `connections[${i}]`, spec, ctx);
    if (found && konnect && !KONNECT_TOKEN.test(found.text)) {
      // Konnect's personal access tokens start kpat_, system account tokens spat_ (developer.konghq.com/konnect-api)
      out.problems.push({
        path: `connections[${i}].${c.tokenFile !== undefined ? 'tokenFile' : 'tokenEnv'}`,
        message: `the token from ${found.from} is not a Konnect access token: a personal access token starts with kpat_, a system account token with spat_`,
      });
    } else if (found) out.tokens.set(i, new Secret(found.text));
    // the mTLS client key is read when the client opens; its mode is checked here, with the others
    const tls = c.tls;
    if (isRecord(tls) && typeof tls.keyFile === 'string' && tls.keyFile !== '' && ctx.fileMode) {
      const full = resolvePath(baseDir, tls.keyFile);
      const problem = openModeProblem(full, await ctx.fileMode(full));
      if (problem) out.problems.push({ path: `connections[${i}].tls.keyFile`, message: problem });
    }
  }
  const keys = Array.isArray(raw.keys) ? raw.keys : [];
  for (const [i, k] of keys.entries()) {
    if (!isRecord(k)) continue;
    const found = await readSource(
      k,
      `keys[${i}]`,
      { envField: 'env', fileField: 'file', what: 'the key', privateFile: true },
      ctx,
    );
    if (!found) continue;
    const bytes = decodeKey(found.text);
    if (bytes) out.keys.set(i, new Secret(bytes));
    else {
      out.problems.push({
        path: `keys[${i}]`,
        message: `key ${String(k.id)} from ${found.from} must be 32 bytes written as 64 hex characters or base64`,
      });
    }
  }
  await resolveCheckpointKey(raw, ctx, out);
  const db = raw.database;
  if (isRecord(db) && (db.passwordEnv !== undefined || db.passwordFile !== undefined)) {
    const spec = { envField: 'passwordEnv', fileField: 'passwordFile', what: 'the database password' };
    const found = await readSource(db, 'database', spec, ctx);
    if (found) out.databasePassword = new Secret(found.text);
  }
  const redis = raw.redis;
  if (isRecord(redis) && (redis.passwordEnv !== undefined || redis.passwordFile !== undefined)) {
    const spec = { envField: 'passwordEnv', fileField: 'passwordFile', what: 'the Redis password' };
    const found = await readSource(redis, 'redis', spec, ctx);
    if (found) out.redisPassword = new Secret(found.text);
  }
  const sentinel = isRecord(redis) ? redis.sentinel : undefined;
  if (isRecord(sentinel) && sentinel.passwordEnv !== undefined) {
    const spec = { envField: 'passwordEnv', fileField: 'passwordFile', what: 'the Redis Sentinel password' };
    const found = await readSource(sentinel, 'redis.sentinel', spec, ctx);
    if (found) out.sentinelPassword = new Secret(found.text);
  }
  return out;
}

async function resolveCheckpointKey(
  raw: Record<string, unknown>,
  ctx: ReadSourceContext,
  out: ResolvedSecrets,
): Promise<void> {
  const audit = raw.audit;
  if (!isRecord(audit) || typeof audit.checkpointKeyFile !== 'string' || audit.checkpointKeyFile === '')
    return;
  const full = resolvePath(ctx.baseDir, audit.checkpointKeyFile);
  const path = 'audit.checkpointKeyFile';
  const open = ctx.fileMode ? openModeProblem(full, await ctx.fileMode(full)) : null;
  if (open) {
    ctx.problems.push({ path, message: open });
    return;
  }
  let pem: string;
  try {
    pem = await ctx.readFile(full);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    ctx.problems.push({ path, message: `cannot read ${full} (${code})` });
    return;
  }
  let type: string | undefined;
  try {
    type = createPrivateKey(pem).asymmetricKeyType;
  } catch {
    ctx.problems.push({ path, message: `${full} is not a PEM private key` });
    return;
  }
  if (type !== 'ed25519') {
    ctx.problems.push({
      path,
      message: `${full} must hold an Ed25519 private key (it holds ${type ?? 'another kind'})`,
    });
    return;
  }
  out.checkpointKey = new Secret(pem);
}
