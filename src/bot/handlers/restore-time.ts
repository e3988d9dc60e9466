/**
 * `--at "2026-11-20 14:00"` means 14:00 where the person typing it lives: their Slack profile's IANA
 * timezone (`users.info` → `user.tz`), UTC when Slack does not say or names a zone this runtime does not
 * know. Converting is pure given the zone (Intl's tz database); only reading the zone touches Slack.
 */
import type { webApi } from '@slack/bolt';
import type { AtTime } from '../grammar/index.ts';

/** Offset of `tz` from UTC at the instant `utcMs`, in ms (positive east of Greenwich). */
function offsetAt(utcMs: number, tz: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/**
 * The instant a wall-clock time in `tz` names. The second pass re-reads the offset at the first guess,
 * which settles it except within an hour of a DST change, where a skipped or repeated wall time resolves
 * to one of the two neighbouring instants (the card shows the instant used, so nobody is misled).
 */
export function wallClockToInstant(date: string, time: string, tz: string): Date {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi, s = 0] = time.split(':').map(Number) as [number, number, number?];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const first = wall - offsetAt(wall, tz);
  const second = wall - offsetAt(first, tz);
  return new Date(second);
}

export function isKnownTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The caller's timezone from Slack; `UTC` when it cannot be read or is unknown here. */
export async function userTimezone(client: webApi.WebClient, userId: string): Promise<string> {
  try {
    const info = await client.users.info({ user: userId });
    const tz = info.user?.tz;
    return tz && isKnownTimezone(tz) ? tz : 'UTC';
  } catch {
    return 'UTC';
  }
}

/** The `--at` instant and the zone it was read in (shown back to the user). */
export async function resolveAt(
  at: AtTime,
  lookupZone: () => Promise<string>,
): Promise<{ time: Date; zone: string }> {
  if (at.kind === 'instant') return { time: new Date(at.epochMs), zone: 'as typed' };
  const zone = await lookupZone();
  return { time: wallClockToInstant(at.date, at.time, zone), zone };
}
