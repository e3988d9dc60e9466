/**
 * A point in time as a person types it for `restore --at`, shared by the Slack grammar and the CLI:
 * - `2026-11-20T14:00:00Z`, `2026-11-20T14:00+01:00` (a zone or offset: an instant, read as typed);
 * - `2026-11-20 14:00[:30]` or `2026-11-20T14:00[:30]` (no zone: a wall-clock time, read in a zone the
 *   caller knows — the person's Slack timezone, or `TZ` for the CLI);
 * - `2026-11-20` (a bare date, where the caller allows it: midnight at the start of that day in the zone).
 * Pure: converting a wall-clock time needs only the zone (Intl's tz database), never the clock.
 */

export type AtTime =
  | { kind: 'local'; text: string; date: string; time: string }
  | { kind: 'instant'; text: string; epochMs: number };

export type AtTimeProblem = 'format' | 'not_real';

const LOCAL_AT = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const ZONED_AT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/i;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Reads `--at` text; a bare date is a `format` problem unless `allowBareDate`. */
export function parseAtTime(
  text: string,
  options: { allowBareDate?: boolean } = {},
): { ok: true; value: AtTime } | { ok: false; problem: AtTimeProblem } {
  const t = text.trim();
  const zoned = ZONED_AT.exec(t);
  const local = zoned ? null : LOCAL_AT.exec(t);
  const m = zoned ?? local;
  if (!m || (local && m[4] === undefined && options.allowBareDate !== true)) {
    return { ok: false, problem: 'format' };
  }
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) {
    return { ok: false, problem: 'not_real' };
  }
  if (local) {
    const date = `${m[1]}-${m[2]}-${m[3]}`;
    const time = m[4] === undefined ? '00:00' : `${m[4]}:${m[5]}${m[6] ? `:${m[6]}` : ''}`;
    return { ok: true, value: { kind: 'local', text: `${date} ${time}`, date, time } };
  }
  // Date.parse of a zoned ISO string is a pure computation (no clock involved).
  const epochMs = Date.parse(t.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return { ok: true, value: { kind: 'instant', text: t, epochMs } };
}

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
 * to one of the two neighbouring instants (callers show the instant used, so nobody is misled).
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

/** The instant `at` names, a wall-clock time read in `zone`. */
export function atTimeToInstant(at: AtTime, zone: string): Date {
  return at.kind === 'instant' ? new Date(at.epochMs) : wallClockToInstant(at.date, at.time, zone);
}
