/**
 * Everything about where artifacts live and how their files are named, in one place (like velero's
 * `pkg/persistence/object_store_layout.go`): artifact names, temp-file names, and the file's fixed framing.
 *
 * Name: `<gateway type>-<connection>-<YYYYMMDD-HHMM>-<manual|scheduled|pre-restore>-<short id>[-r<n>].sgb`,
 * time in UTC; the gateway type is the connection's `type` (`kong-prod-…`, `aws-apigateway-payments-api-eu-…`):
 * every artifact written before there were types is a Kong one and reads as `kong-…`, so old names keep
 * their meaning and no file is renamed. Types are matched as whole known prefixes (`GATEWAY_PREFIXES`), so a
 * Kong connection named `aws-x` (`kong-aws-x-…`) cannot be mistaken for an AWS one. `-r<n>` marks the n-th rewrite of that backup's artifact (`gdpr erase`), so the new artifact never lands
 * on the old one's name before the old one can be removed.
 * Temp files start with `.` and end with `.tmp` so a listing of artifacts never mistakes a half-written file
 * for a backup, and a crash leaves something recognisable to sweep (`sweep.ts`): `.<name>.<pid>-<rand>-<host>.tmp`.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CATALOGUES } from '../core/catalogue/index.ts';
import { BACKUP_TYPES, type BackupType } from '../core/status.ts';

export { BACKUP_TYPES, type BackupType };
export const ARTIFACT_EXTENSION = '.sgb';

/** File framing: MAGIC | u16 format version | u32 header length | header | u32 key block length | key block | ciphertext | tag. */
export const MAGIC = Buffer.from('SNAPGATE', 'ascii');
/** Written by this version: 2 (block-compressed body). Version 1 files (one-stream body) are still read. */
export const FORMAT_VERSION = 2;
export const READABLE_FORMAT_VERSIONS: readonly number[] = [1, 2];
export const PREFIX_FIXED_BYTES = MAGIC.length + 2 + 4;
export const TAG_BYTES = 16;
/** Headers are small JSON; anything bigger means the length field is garbage. */
export const MAX_BLOCK_BYTES = 1 << 20;

/** The gateway types artifact names start with (every connection `type` that has a catalogue). */
export const GATEWAY_PREFIXES: readonly string[] = Object.keys(CATALOGUES);

// the prefixes are letters, digits and hyphens: nothing to escape in a pattern
const NAME_PATTERN = new RegExp(
  `^(${GATEWAY_PREFIXES.join('|')})-([a-z0-9][a-z0-9-]*)-(\\d{8}-\\d{4})-(manual|scheduled|pre-restore)-([a-z0-9]+?)(?:-r([1-9]\\d{0,5}))?\\.sgb$`,
);

/** The name prefix of a gateway type: the type itself; Kong's when absent or unknown. */
export function gatewayPrefix(gateway: string | null | undefined): string {
  return gateway && GATEWAY_PREFIXES.includes(gateway) ? gateway : 'kong';
}

/** First 8 letters/digits of the backup id, lowercased: enough to tell backups of the same minute apart. */
export function shortId(backupId: string): string {
  const compact = backupId.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (compact === '') throw new RangeError(`backup id "${backupId}" has no letters or digits`);
  return compact.slice(0, 8);
}

function stamp(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new RangeError(`createdAt "${iso}" is not a date`);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}`;
}

export function artifactName(a: {
  /** the connection's gateway type (`kong` when absent) */
  gateway?: string | null | undefined;
  connection: string;
  createdAt: string;
  type: BackupType;
  backupId: string;
  /** the n-th rewrite (`gdpr erase`); absent for the artifact the backup wrote */
  rewrite?: number | undefined;
}): string {
  const rewrite = a.rewrite ? `-r${a.rewrite}` : '';
  return `${gatewayPrefix(a.gateway)}-${a.connection}-${stamp(a.createdAt)}-${a.type}-${shortId(a.backupId)}${rewrite}${ARTIFACT_EXTENSION}`;
}

export interface ParsedArtifactName {
  /** the gateway type the name starts with (`kong` for every name written before there were types) */
  gateway: string;
  connection: string;
  stamp: string;
  type: BackupType;
  shortId: string;
  /** the rewrite number (`-r<n>`), 0 for the backup's own artifact */
  rewrite: number;
}

export function parseArtifactName(name: string): ParsedArtifactName | null {
  const m = NAME_PATTERN.exec(name);
  if (!m) return null;
  return {
    gateway: m[1]!,
    connection: m[2]!,
    stamp: m[3]!,
    type: m[4] as BackupType,
    shortId: m[5]!,
    rewrite: Number(m[6] ?? 0),
  };
}

/** The backup an artifact name belongs to, whatever its rewrite (`…-r2.sgb` and `….sgb` share it); null if not a name. */
export function artifactLineage(name: string): string | null {
  const p = parseArtifactName(name);
  return p ? `${p.gateway}-${p.connection}-${p.stamp}-${p.type}-${p.shortId}` : null;
}

/** Names are single path segments: a name must never climb out of its directory or prefix. */
export function checkArtifactName(name: string): void {
  if (
    name === '' ||
    name.includes('/') ||
    name.includes('\\') ||
    name === '.' ||
    name === '..' ||
    name.includes('\0')
  ) {
    throw new RangeError(`"${name}" is not a valid artifact name`);
  }
}

export function artifactPath(dir: string, name: string): string {
  return join(dir, name);
}

export function tempPath(dir: string, name: string, unique: string): string {
  return join(dir, `.${name}.${unique}.tmp`);
}

export function isTempName(fileName: string): boolean {
  return fileName.startsWith('.') && fileName.endsWith('.tmp');
}

/** This host as temp names carry it: lowercase letters and digits only, at most 32. */
export function hostTag(name = hostname()): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')
      .slice(0, 32) || 'host'
  );
}

/** `<pid>-<12 hex>-<host>`: which process on which host writes a temp file (the sweep needs both). */
export function tempSuffix(pid: number, random: string, host = hostTag()): string {
  return `${pid}-${random}-${host}`;
}

const TEMP_SUFFIX = /\.(\d+)-([0-9a-f]+)(?:-([a-z0-9]+))?\.tmp$/;

/** The writer of a temp file: its pid and (from this version on) its host; null for other files. */
export function parseTempName(fileName: string): { pid: number; host: string | null } | null {
  if (!isTempName(fileName)) return null;
  const m = TEMP_SUFFIX.exec(fileName);
  if (!m) return null;
  return { pid: Number(m[1]), host: m[3] ?? null };
}
