import { ALL_SECTIONS, type OnlyEntry, parseAtTime, SECTIONS, scopedOnlyEntry } from '../../core/index.ts';
import { closestMatches, orList } from './suggest.ts';
import type { Token } from './tokenize.ts';
import type { AtTime, BackupRef, UserRef } from './types.ts';

/** Argument readers: each turns one word (or flag value) into a typed value or a sentence saying why not. */
export type Read<T> = { ok: true; value: T } | { ok: false; message: string; suggestions?: string[] };

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const no = <T>(message: string, suggestions?: string[]): Read<T> =>
  suggestions?.length ? { ok: false, message, suggestions } : { ok: false, message };

export const LIMIT_MIN = 1;
export const LIMIT_MAX = 100;
export const TEXT_MAX = 500;
/** ~10 years: a longer look-back is a typo, not an audit question. */
export const SINCE_MAX_MS = 3650 * 86_400_000;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** A word as typed for error messages: quoted, shortened, never interpreted as markup by the caller. */
export function shown(text: string): string {
  const short = text.length > 40 ? `${text.slice(0, 39)}…` : text;
  return `\`${short.replace(/`/g, "'")}\``;
}

export function readConnection(t: Token): Read<string> {
  if (t.escape?.kind === 'channel') {
    return no(`${shown(t.text)} is a channel; name a connection (\`/kong connections\` lists them).`);
  }
  if (t.escape?.kind === 'user' || t.escape?.kind === 'usergroup') {
    return no(`${shown(t.text)} is a person or group; name a connection (\`/kong connections\` lists them).`);
  }
  // Slack auto-links names that look like domains (`prod.example.com`); the label is what was typed.
  const name = t.escape?.kind === 'link' ? (t.escape.label ?? t.text) : t.text;
  return NAME.test(name)
    ? ok(name)
    : no(`${shown(name)} is not a connection name (letters, digits, \`.\`, \`_\`, \`-\`; at most 64).`);
}

export function readId(t: Token, what: string): Read<string> {
  const id = t.escape?.kind === 'link' ? (t.escape.label ?? t.text) : t.text;
  return ID.test(id) ? ok(id) : no(`${shown(id)} is not a ${what} (letters, digits, \`.\`, \`_\`, \`-\`).`);
}

export function readBackupRef(t: Token): Read<BackupRef> {
  if (t.text.toLowerCase() === 'latest') return ok({ kind: 'latest' });
  const id = readId(t, 'backup id');
  return id.ok ? ok({ kind: 'id', id: id.value }) : id;
}

export function readLimit(text: string): Read<number> {
  if (!/^\d+$/.test(text))
    return no(`--limit takes a whole number from ${LIMIT_MIN} to ${LIMIT_MAX}, not ${shown(text)}.`);
  const n = Number(text);
  return n >= LIMIT_MIN && n <= LIMIT_MAX
    ? ok(n)
    : no(`--limit must be from ${LIMIT_MIN} to ${LIMIT_MAX}, not ${n}.`);
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const UNIT_WORDS: Record<string, string> = {
  m: 'm',
  min: 'm',
  mins: 'm',
  minute: 'm',
  minutes: 'm',
  h: 'h',
  hr: 'h',
  hrs: 'h',
  hour: 'h',
  hours: 'h',
  d: 'd',
  day: 'd',
  days: 'd',
  w: 'w',
  wk: 'w',
  wks: 'w',
  week: 'w',
  weeks: 'w',
};

/** `30m`, `12h`, `7d`, `2w` (also `7 days`) → milliseconds. */
export function readDuration(text: string): Read<number> {
  const m = /^(\d{1,6})\s*([a-z]+)$/i.exec(text.trim());
  const unit = m ? UNIT_WORDS[m[2]!.toLowerCase()] : undefined;
  if (!m || !unit)
    return no(`--since takes a duration like \`30m\`, \`12h\`, \`7d\` or \`2w\`, not ${shown(text)}.`);
  const ms = Number(m[1]) * UNIT_MS[unit]!;
  if (ms <= 0) return no('--since must be longer than zero.');
  if (ms > SINCE_MAX_MS) return no('--since reaches back at most 3650 days.');
  return ok(ms);
}

/**
 * `plugins,routes`, `plugins routes`, `consumer-groups`, `usage-plans` → de-duplicated sections of any
 * gateway type; for a Kong connection with several workspaces also `team-a/plugins` (a section of one
 * workspace) and `team-a/*`. The grammar does not know the connection's type: which sections it takes
 * (Kong's on a Kong connection, AWS's on an AWS one) is checked where the connection is known
 * (`sectionsRefusal`).
 */
export function readSections(values: readonly string[]): Read<OnlyEntry[]> {
  const words = values.flatMap((v) => v.split(/[\s,]+/)).filter((w) => w !== '');
  if (words.length === 0) return no(`--only needs one or more sections: ${ALL_SECTIONS.join(', ')}.`);
  const out: OnlyEntry[] = [];
  // workspaces are Kong's: a section of a workspace is one of Kong's sections
  const isSection = (s: string) => (SECTIONS as readonly string[]).includes(s);
  for (const word of words) {
    const scoped = scopedOnlyEntry(word, isSection);
    if (scoped) {
      if (!out.includes(scoped)) out.push(scoped);
      continue;
    }
    const name = word.toLowerCase().replace(/-/g, '_');
    const section = ALL_SECTIONS.find((s) => s === name);
    if (!section) {
      const bare = word.includes('/') ? word.slice(word.indexOf('/') + 1) : word;
      const scope = word.includes('/') ? SECTIONS : ALL_SECTIONS;
      const near = closestMatches(bare.toLowerCase().replace(/-/g, '_'), scope);
      const hint = near.length ? ` Did you mean ${orList(near)}?` : ` Sections: ${scope.join(', ')}.`;
      const what = word.includes('/')
        ? 'a section of a workspace (`team-a/plugins`, `team-a/*`)'
        : 'a section';
      return no(`${shown(word)} is not ${what}.${hint}`, near);
    }
    if (!out.includes(section)) out.push(section);
  }
  return ok(out);
}

/** `2026-11-20 14:00` (local, the caller applies the user's timezone) or ISO 8601 with `Z`/offset. */
export function readAt(text: string): Read<AtTime> {
  const read = parseAtTime(text);
  if (read.ok) return ok(read.value);
  return read.problem === 'not_real'
    ? no(`${shown(text)} is not a real date and time.`)
    : no(
        `--at takes a date and time like \`2026-11-20 14:00\` or \`2026-11-20T14:00:00Z\`, not ${shown(text)}.`,
      );
}

/** `<@U123|bob>`, `<@U123>` or a bare `U123ABC`/`W123ABC` id. A typed `@bob` carries no id, so it is refused. */
export function readUser(t: Token): Read<UserRef> {
  const e = t.escape;
  if (e?.kind === 'user') return ok(e.label ? { id: e.id, label: e.label } : { id: e.id });
  if (e?.kind === 'usergroup') return no(`${shown(t.text)} is a user group; --user takes one person.`);
  if (/^[UW][A-Z0-9]{2,}$/.test(t.text)) return ok({ id: t.text });
  return no(
    `--user takes a mention: type @ and pick the person, so Slack sends their id (got ${shown(t.text)}).`,
  );
}

export function readAction(text: string): Read<string> {
  const a = text.toLowerCase();
  return /^[a-z][a-z0-9_.:-]{0,63}$/.test(a) ? ok(a) : no(`${shown(text)} is not an audit action name.`);
}

export function readText(text: string, flag: string): Read<string> {
  const t = text.trim();
  if (t === '') return no(`--${flag} needs some text, e.g. --${flag} "rolling back the 14:00 change".`);
  if (t.length > TEXT_MAX) return no(`--${flag} is ${t.length} characters; keep it under ${TEXT_MAX}.`);
  return ok(t);
}
