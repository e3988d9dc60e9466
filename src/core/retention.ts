/**
 * Retention selection: which backups of one connection a prune keeps, and why.
 *
 * The rule is restic's `forget` policy (restic/restic `internal/data/snapshot_policy.go` ApplyPolicy,
 * `doc/060_forget.rst`), restricted to keep-daily/weekly/monthly/within, plus two safety nets of ours:
 *
 * 1. Completed backups are sorted newest first and walked once. For each rule `keepDaily n` (and weekly,
 *    monthly) the backup is kept when its calendar period differs from the period of the last backup that
 *    rule kept, while the rule still has count left; each keep uses one count. So the NEWEST backup of each
 *    period is kept, and only periods that hold at least one backup count ("keep 7 daily" = the 7 most
 *    recent days that have backups, not the last 7 calendar days).
 * 2. As in restic, when the walk reaches the OLDEST backup and a rule still has count left, that backup
 *    is kept too (reason `oldest daily ...`): history is kept as long as possible while counts remain.
 * 3. `keepWithin d`: every backup taken strictly after (newest backup time − d) is kept. The newest backup
 *    is the newest completed one not after `now` (restic ignores future snapshots for this). d is calendar
 *    arithmetic: `1y6m` = 1 year and 6 months back on the wall clock of the time zone, then hours.
 * 4. Rules are ORed: one backup may be the daily, the weekly and the monthly at once (unlike borg).
 * 5. Safety nets: the newest completed backup is never removed (`newest`); nothing taken after
 *    (now − minAge) is removed (`younger than minAge`); backups after `now` are kept (`taken after now`);
 *    pending/running backups are kept (`in progress`); failed backups older than minAge are removed;
 *    a completed `pre-restore` backup taken after (now − keepPreRestore) is kept (`pre-restore, undo
 *    possible for <d>`), because its restore's Undo restores it. keepPreRestore is not a keep rule: it
 *    does not make an empty policy prune anything.
 * 6. A policy with no keep rule keeps everything: an empty policy must never mean "delete all".
 *
 * Periods are calendar periods in the given IANA time zone (default UTC): days 00:00–23:59, ISO weeks
 * Monday–Sunday (labelled `2026-W47`), months. Durations: a sequence of <n><unit>, units y (years),
 * m (months), w (weeks = 7 days), d (days), h (hours); e.g. `30d`, `2w`, `1y6m`, `1h`.
 * Pure: `now` is a parameter; Intl is used only to read wall-clock fields in a zone.
 */

export interface RetentionPolicy {
  keepDaily?: number | undefined;
  keepWeekly?: number | undefined;
  keepMonthly?: number | undefined;
  keepWithin?: string | undefined;
  minAge?: string | undefined;
  /** how long a pre-restore backup stays, so the restore it preceded can be undone */
  keepPreRestore?: string | undefined;
}

export interface RetentionCandidate {
  id: string;
  takenAt: string | Date;
  status: string;
  /** `pre-restore` backups get the keepPreRestore safety net; other types are not looked at */
  type?: string;
}

export interface RetentionSelection {
  keep: { id: string; reasons: string[] }[];
  remove: { id: string; reason: string }[];
}

export interface RetentionDuration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  text: string;
}

const DURATION_PART = /(\d+)([ymwdh])/g;

/** Parses `30d`, `2w`, `1y6m`, `12h`; throws RangeError with a message fit for a config problem. */
export function parseDuration(text: string): RetentionDuration {
  const trimmed = text.trim();
  const d: RetentionDuration = { years: 0, months: 0, weeks: 0, days: 0, hours: 0, text: trimmed };
  const field = { y: 'years', m: 'months', w: 'weeks', d: 'days', h: 'hours' } as const;
  let consumed = '';
  for (const m of trimmed.matchAll(DURATION_PART)) {
    consumed += m[0];
    d[field[m[2] as keyof typeof field]] += Number(m[1]);
  }
  if (trimmed === '' || consumed !== trimmed) {
    throw new RangeError(
      `"${text}" is not a duration: use numbers with units y, m (months), w, d, h, e.g. 30d, 2w, 1y6m, 1h`,
    );
  }
  return d;
}

/** Wall-clock fields of an instant in a zone. */
interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClockReader(timeZone: string): (epochMs: number) => WallClock {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  return (epochMs) => {
    const p: Record<string, number> = {};
    for (const part of fmt.formatToParts(epochMs)) p[part.type] = Number(part.value);
    return {
      year: p.year!,
      month: p.month!,
      day: p.day!,
      hour: p.hour!,
      minute: p.minute!,
      second: p.second!,
    };
  };
}

function wallAsUtc(w: WallClock): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/** The instant whose wall clock in the zone reads `w` (Date.UTC normalizes overflowing fields like Go's AddDate). */
function wallToEpoch(w: WallClock, read: (ms: number) => WallClock): number {
  const guess = wallAsUtc(w);
  const offset1 = wallAsUtc(read(guess)) - guess;
  const epoch = guess - offset1;
  const offset2 = wallAsUtc(read(epoch)) - epoch;
  return offset1 === offset2 ? epoch : guess - offset2;
}

/** restic: latest.AddDate(-y, -m, -d).Add(-h), done on the zone's wall clock. */
function subtractDuration(epochMs: number, d: RetentionDuration, read: (ms: number) => WallClock): number {
  const ms = epochMs % 1000;
  const w = read(epochMs);
  const shifted = {
    ...w,
    year: w.year - d.years,
    month: w.month - d.months,
    day: w.day - d.days - 7 * d.weeks,
  };
  return wallToEpoch(shifted, read) + ms - d.hours * 3_600_000;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function isoWeek(w: WallClock): string {
  const date = Date.UTC(w.year, w.month - 1, w.day);
  const dow = new Date(date).getUTCDay() || 7; // Monday = 1 … Sunday = 7
  const thursday = new Date(date + (4 - dow) * 86_400_000);
  const isoYear = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(isoYear, 0, 1)) / (7 * 86_400_000)) + 1;
  return `${isoYear}-W${pad(week)}`;
}

const PERIODS = [
  { rule: 'keepDaily', name: 'daily', label: (w: WallClock) => `${w.year}-${pad(w.month)}-${pad(w.day)}` },
  { rule: 'keepWeekly', name: 'weekly', label: isoWeek },
  { rule: 'keepMonthly', name: 'monthly', label: (w: WallClock) => `${w.year}-${pad(w.month)}` },
] as const;

interface Entry {
  id: string;
  at: number;
  status: string;
  preRestore: boolean;
}

function toEntries(backups: readonly RetentionCandidate[]): Entry[] {
  const entries = backups.map((b) => {
    const at = typeof b.takenAt === 'string' ? Date.parse(b.takenAt) : b.takenAt.getTime();
    if (Number.isNaN(at))
      throw new RangeError(`backup ${b.id}: takenAt "${String(b.takenAt)}" is not a date`);
    return { id: b.id, at, status: b.status, preRestore: b.type === 'pre-restore' };
  });
  // Newest first; ties broken by id so the result does not depend on the input order.
  return entries.sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

export function selectRetention(
  backups: readonly RetentionCandidate[],
  policy: RetentionPolicy,
  now: Date | string,
  options: { timeZone?: string } = {},
): RetentionSelection {
  const read = wallClockReader(options.timeZone ?? 'UTC');
  const nowMs = typeof now === 'string' ? Date.parse(now) : now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError(`now "${String(now)}" is not a date`);
  const within = policy.keepWithin ? parseDuration(policy.keepWithin) : undefined;
  const minAgeCutoff = policy.minAge ? subtractDuration(nowMs, parseDuration(policy.minAge), read) : nowMs;
  const undo = policy.keepPreRestore ? parseDuration(policy.keepPreRestore) : undefined;
  const undoCutoff = undo ? subtractDuration(nowMs, undo, read) : undefined;
  const hasRules = within !== undefined || PERIODS.some((p) => (policy[p.rule] ?? 0) > 0);

  const entries = toEntries(backups);
  const completed = entries.filter((e) => e.status === 'completed');
  const newest = completed.find((e) => e.at <= nowMs);
  const withinCutoff = within && newest ? subtractDuration(newest.at, within, read) : undefined;
  const counters = PERIODS.map((p) => ({ ...p, left: policy[p.rule] ?? 0, last: '' }));

  const reasonsById = new Map<string, string[]>();
  const removeById = new Map<string, string>();
  completed.forEach((e, nr) => {
    const reasons: string[] = [];
    const why: string[] = [];
    if (e === newest) reasons.push('newest');
    if (e.at > nowMs) reasons.push('taken after now');
    else if (e.at > minAgeCutoff) reasons.push('younger than minAge');
    if (e.preRestore && undoCutoff !== undefined && e.at > undoCutoff && e.at <= nowMs) {
      reasons.push(`pre-restore, undo possible for ${undo!.text} (keepPreRestore)`);
    }
    if (withinCutoff !== undefined) {
      if (e.at > withinCutoff) reasons.push(`within ${within!.text}`);
      else why.push(`older than ${within!.text} before the newest backup`);
    }
    const wall = read(e.at);
    const isOldest = nr === completed.length - 1;
    for (const c of counters) {
      if (c.left <= 0) {
        if ((policy[c.rule] ?? 0) > 0) why.push(`${c.rule} ${policy[c.rule]} already used`);
        continue;
      }
      const label = c.label(wall);
      if (label !== c.last || isOldest) {
        reasons.push(label === c.last ? `oldest ${c.name} ${label}` : `${c.name} ${label}`);
        c.last = label;
        c.left--;
      } else {
        why.push(`${c.name} ${label} keeps a newer backup`);
      }
    }
    if (!hasRules) reasons.push('no retention rules');
    if (reasons.length > 0) reasonsById.set(e.id, reasons);
    else removeById.set(e.id, why.join('; '));
  });

  for (const e of entries) {
    if (e.status === 'completed') continue;
    if (e.status === 'pending' || e.status === 'running') reasonsById.set(e.id, ['in progress']);
    else if (e.at > nowMs) reasonsById.set(e.id, ['taken after now']);
    else if (e.at > minAgeCutoff) reasonsById.set(e.id, ['younger than minAge']);
    else removeById.set(e.id, `${e.status} backup`);
  }

  const keep: RetentionSelection['keep'] = [];
  const remove: RetentionSelection['remove'] = [];
  for (const e of entries) {
    const reasons = reasonsById.get(e.id);
    if (reasons) keep.push({ id: e.id, reasons });
    else remove.push({ id: e.id, reason: removeById.get(e.id)! });
  }
  return { keep, remove };
}
