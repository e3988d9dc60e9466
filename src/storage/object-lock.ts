/**
 * S3 Object Lock dates. Each artifact written to a target with `objectLock` is locked until its
 * connection's retention policy could first remove it — the policy's minimum keep (`minAge`,
 * `keepWithin`) — or the target's own `retain`, whichever is later. Prune asks the store for the date; a
 * store that does not report it (no s3:GetObjectRetention) gets the date computed from the artifact name's
 * time plus one day, since the name's minute precedes the write.
 */
import { parseDuration, type RetentionPolicy } from '../core/retention.ts';
import { parseArtifactName } from './layout.ts';

/** `from` + a retention duration (`30d`, `1y6m`, …), calendar units in UTC. */
export function addDuration(from: Date, text: string): Date {
  const d = parseDuration(text);
  const t = new Date(from.getTime());
  t.setUTCFullYear(t.getUTCFullYear() + d.years, t.getUTCMonth() + d.months);
  return new Date(t.getTime() + ((d.weeks * 7 + d.days) * 24 + d.hours) * 3_600_000);
}

/** The lock date of an object written at `at`, or null when neither the target nor the policy gives a period. */
export function objectLockUntil(
  at: Date,
  retain: string | undefined,
  policy: RetentionPolicy | undefined,
): Date | null {
  const periods = [retain, policy?.minAge, policy?.keepWithin].filter((p): p is string => Boolean(p));
  if (periods.length === 0) return null;
  return new Date(Math.max(...periods.map((p) => addDuration(at, p).getTime())));
}

/** When the artifact called `name` was created, from its name (minute precision), or null. */
export function artifactNameTime(name: string): Date | null {
  const stamp = parseArtifactName(name)?.stamp;
  const m = stamp ? /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})$/.exec(stamp) : null;
  if (!m) return null;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5])));
}

/** The connection an artifact belongs to, from its name. */
export function artifactConnection(name: string): string | null {
  return parseArtifactName(name)?.connection ?? null;
}

export const LOCK_ESTIMATE_MARGIN_MS = 24 * 3_600_000;
