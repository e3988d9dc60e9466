/**
 * `--at TIME` for the CLI. A time with `Z` or an offset is that instant; a time without a zone
 * (`2026-12-05 23:21:50`, `2026-12-05T23:21`) is read in the zone of `TZ` (the process's zone when `TZ`
 * is unset); a bare date (`2026-12-05`) is midnight at the start of that day in that zone. Slack reads
 * the same forms in the caller's Slack timezone instead. The backup is then picked at whole seconds, the
 * precision lists show (src/jobs/restore/request.ts), and the CLI echoes the instant it resolved.
 */
import { type AtTime, atTimeToInstant, isKnownTimezone, parseAtTime } from '../core/index.ts';
import { CliError } from './errors.ts';

/** The zone a time without one is read in: `TZ` when set, else the runtime's own zone. */
export function cliTimeZone(env: NodeJS.ProcessEnv = process.env): string {
  const tz = env.TZ?.replace(/^:/, '');
  if (tz) {
    if (!isKnownTimezone(tz)) {
      throw new CliError(
        `TZ="${env.TZ}" is not a time zone this runtime knows: set TZ to an IANA zone (e.g. Europe/Berlin) or give --at with Z or an offset`,
      );
    }
    return tz;
  }
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export interface ResolvedAt {
  time: Date;
  /** how it was read, for the echo: `as typed` or the zone */
  zone: string;
  typed: AtTime;
}

export function resolveCliAt(text: string, env: NodeJS.ProcessEnv = process.env): ResolvedAt {
  const read = parseAtTime(text, { allowBareDate: true });
  if (!read.ok) {
    throw new CliError(
      read.problem === 'not_real'
        ? `--at "${text}" is not a real date and time`
        : `--at "${text}" is not a time: use 2026-11-20T14:00:00Z (or an offset), 2026-11-20 14:00[:SS] in TZ, or 2026-11-20 (midnight in TZ)`,
    );
  }
  const zone = read.value.kind === 'instant' ? 'as typed' : cliTimeZone(env);
  return { time: atTimeToInstant(read.value, zone), zone, typed: read.value };
}

/** Under a minute in seconds ("42 s"), then minutes, then hours and minutes. */
export function formatGap(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
