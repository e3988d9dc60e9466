/**
 * Splits `/kong` text into words the way an on-call engineer expects, given what Slack really sends:
 * - with `should_escape: true` Slack rewrites mentions as `<@U123|name>`, user groups as
 *   `<!subteam^S123|@team>`, channels as `<#C123|name>`, auto-links as `<http://x|x>`, and `&`, `<`, `>`
 *   typed by the user as `&amp;`, `&lt;`, `&gt;` (docs.slack.dev "Formatting text for app surfaces").
 * - desktop and mobile clients turn quotes into “smart quotes” and `--` into an em dash, and pasted
 *   text brings tabs, newlines and non-breaking spaces.
 */

export type SlackEscape =
  | { kind: 'user'; id: string; label?: string }
  | { kind: 'usergroup'; id: string; label?: string }
  | { kind: 'channel'; id: string; label?: string }
  | { kind: 'special'; name: string; label?: string }
  | { kind: 'link'; url: string; label?: string };

export interface Token {
  /** The word as a person reads it: quotes removed, entities decoded, escapes shown as `@name`. */
  text: string;
  /** true when any part of the word was quoted: a quoted `--x` is a value, not an option. */
  quoted: boolean;
  /** true when the word began with a quote. */
  startsQuoted: boolean;
  /** Set when the whole word is one Slack escape (a mention, a group, a channel, a link). */
  escape?: SlackEscape;
  /** Every escape in the word, with where its rendering sits in `text`. */
  escapes: PlacedEscape[];
}

export interface PlacedEscape {
  escape: SlackEscape;
  start: number;
  end: number;
}

export type TokenizeResult = { ok: true; tokens: Token[] } | { ok: false; message: string };

const SPACES = /[\t\n\r\v\f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/g;
const INVISIBLES = /[\u200b\u2060\ufeff]/g;
const DOUBLE_QUOTES = /[\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033]/g;
const SINGLE_QUOTES = /[\u2018\u2019\u201a\u201b\u2032]/g;
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

export function normalizeText(text: string): string {
  return text
    .replace(INVISIBLES, '')
    .replace(SPACES, ' ')
    .replace(DOUBLE_QUOTES, '"')
    .replace(SINGLE_QUOTES, "'");
}

/** Reads `<...>` Slack escape bodies: `@U123|bob`, `!subteam^S1|@ops`, `#C1|ops`, `!here`, `http://x|x`. */
export function parseEscape(body: string): SlackEscape {
  const bar = body.indexOf('|');
  const head = bar === -1 ? body : body.slice(0, bar);
  const label = bar === -1 ? undefined : body.slice(bar + 1);
  const withLabel = <T extends object>(e: T): T & { label?: string } => (label ? { ...e, label } : e);
  if (head.startsWith('@')) return withLabel({ kind: 'user' as const, id: head.slice(1) });
  if (head.startsWith('#')) return withLabel({ kind: 'channel' as const, id: head.slice(1) });
  if (head.startsWith('!subteam^')) return withLabel({ kind: 'usergroup' as const, id: head.slice(9) });
  if (head.startsWith('!')) return withLabel({ kind: 'special' as const, name: head.slice(1) });
  return withLabel({ kind: 'link' as const, url: head });
}

/** How an escape reads in free text (a note or a reason): what the user saw when typing it. */
export function renderEscape(e: SlackEscape): string {
  switch (e.kind) {
    case 'user':
      return `@${e.label ?? e.id}`;
    case 'usergroup':
      return e.label ? (e.label.startsWith('@') ? e.label : `@${e.label}`) : `@${e.id}`;
    case 'channel':
      return `#${e.label ?? e.id}`;
    case 'special':
      return e.label ?? `@${e.name.split('^')[0]}`;
    case 'link':
      return e.label ?? e.url.replace(/^mailto:/, '');
  }
}

interface Building {
  text: string;
  quoted: boolean;
  startsQuoted: boolean;
  escapes: PlacedEscape[];
  /** true while the word is still exactly one escape and nothing else */
  onlyEscape: boolean;
}

export function tokenize(input: string): TokenizeResult {
  const s = normalizeText(input);
  const tokens: Token[] = [];
  let cur: Building | null = null;
  const finish = () => {
    if (!cur) return;
    const { text, quoted, startsQuoted, escapes, onlyEscape } = cur;
    const token: Token = { text, quoted, startsQuoted, escapes };
    if (onlyEscape && escapes.length === 1) token.escape = escapes[0]!.escape;
    tokens.push(token);
    cur = null;
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ') {
      finish();
      i++;
      continue;
    }
    const word: Building = cur ?? {
      text: '',
      quoted: false,
      startsQuoted: false,
      escapes: [],
      onlyEscape: true,
    };
    cur = word;
    // A quote opens a quoted part only at the start of a word or right after `--flag=`, so the
    // apostrophe in an unquoted `don't` stays a letter.
    const quoteMayOpen = word.text === '' || (!word.quoted && /^--[a-z][\w-]*=$/i.test(word.text));
    if ((c === '"' || c === "'") && quoteMayOpen) {
      const close = closingQuote(s, c, i + 1);
      if (close === -1) return { ok: false, message: `A quote (${c}) is opened but never closed.` };
      if (word.text === '') word.startsQuoted = true;
      const inner = decodeRun(s.slice(i + 1, close), word.text.length);
      word.text += inner.text;
      word.escapes.push(...inner.escapes);
      word.quoted = true;
      word.onlyEscape = false;
      i = close + 1;
      continue;
    }
    const step = decodeAt(s, i);
    if (step.escape) {
      if (word.text !== '') word.onlyEscape = false;
      const start = word.text.length;
      word.escapes.push({ escape: step.escape, start, end: start + step.text.length });
    } else {
      word.onlyEscape = false;
    }
    word.text += step.text;
    i = step.end;
  }
  finish();
  return { ok: true, tokens: tokens.map(restoreDashes) };
}

/**
 * The quote closing a quoted part: preferably one followed by a space or the end, because smart-quote
 * normalization makes the apostrophe in ‘don’t panic’ look like a closing quote.
 */
function closingQuote(s: string, quote: string, from: number): number {
  let first = -1;
  for (let j = s.indexOf(quote, from); j !== -1; j = s.indexOf(quote, j + 1)) {
    if (first === -1) first = j;
    if (j + 1 === s.length || s[j + 1] === ' ') return j;
  }
  return first;
}

/** Decodes one unit at `i`: a `<...>` escape, an entity, or one character. */
function decodeAt(s: string, i: number): { text: string; end: number; escape?: SlackEscape } {
  const c = s[i]!;
  if (c === '<') {
    const close = s.indexOf('>', i + 1);
    if (close > i + 1) {
      const parsed = parseEscape(s.slice(i + 1, close));
      return { text: renderEscape(parsed), end: close + 1, escape: parsed };
    }
  }
  if (c === '&') {
    for (const [entity, plain] of Object.entries(ENTITIES)) {
      if (s.startsWith(entity, i)) return { text: plain, end: i + entity.length };
    }
  }
  return { text: c, end: i + 1 };
}

function decodeRun(s: string, offset: number): { text: string; escapes: PlacedEscape[] } {
  let text = '';
  const escapes: PlacedEscape[] = [];
  for (let i = 0; i < s.length; ) {
    const step = decodeAt(s, i);
    if (step.escape) {
      const start = offset + text.length;
      escapes.push({ escape: step.escape, start, end: start + step.text.length });
    }
    text += step.text;
    i = step.end;
  }
  return { text, escapes };
}

/** macOS and iOS turn `--only` into `—only` (em dash) or `–only` (en dash); read them as `--`. */
function restoreDashes(t: Token): Token {
  if (t.startsQuoted) return t;
  const m = /^[\u2013\u2014]+(?=[a-z])/i.exec(t.text);
  return m ? { ...t, text: `--${t.text.slice(m[0].length)}` } : t;
}
