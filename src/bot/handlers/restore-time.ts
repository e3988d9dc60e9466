/**
 * `--at "2026-11-20 14:00"` means 14:00 where the person typing it lives: their Slack profile's IANA
 * timezone (`users.info` → `user.tz`), UTC when Slack does not say or names a zone this runtime does not
 * know. Converting is pure given the zone (Intl's tz database); only reading the zone touches Slack.
 */
import type { webApi } from '@slack/bolt';
import { type AtTime, atTimeToInstant, isKnownTimezone } from '../../core/index.ts';

export { isKnownTimezone, wallClockToInstant } from '../../core/index.ts';

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
  return { time: atTimeToInstant(at, zone), zone };
}
