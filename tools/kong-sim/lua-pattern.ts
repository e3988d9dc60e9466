/**
 * Lua patterns (the `match`, `not_match`, `match_all`, `match_none` and `match_any` validators of
 * kong/db/schema/init.lua run `value:match(pattern)`) as JavaScript regular expressions, for the subset
 * Kong's schemas use: anchors, `.`, `%a %c %d %g %l %p %s %u %w %x` (and their upper-case complements),
 * `%` escapes, sets `[...]` / `[^...]` with ranges and classes, and the quantifiers `* + - ?`
 * (Lua 5.1 reference manual §5.4.1). Captures, `%b` and `%f` are not translated: such a pattern is
 * reported as untranslatable (null) and the validator is skipped (a deviation listed in the README).
 */

const CLASSES: Record<string, string> = {
  a: 'A-Za-z',
  c: '\\x00-\\x1f\\x7f',
  d: '0-9',
  g: '\\x21-\\x7e',
  l: 'a-z',
  p: '!-\\/:-@\\[-`{-~',
  s: '\\t\\n\\v\\f\\r ',
  u: 'A-Z',
  w: 'A-Za-z0-9',
  x: 'A-Fa-f0-9',
};

const escapeChar = (c: string) => (/[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c);

/** `%x` inside or outside a set: a set body (for `[...]`) and whether it is a complement. */
function classBody(letter: string): { body: string; negated: boolean } | null {
  const lower = letter.toLowerCase();
  const body = CLASSES[lower];
  if (body === undefined) return null;
  return { body, negated: letter !== lower };
}

const cache = new Map<string, RegExp | null>();

export function luaPatternToRegExp(pattern: string): RegExp | null {
  if (cache.has(pattern)) return cache.get(pattern) ?? null;
  const re = translate(pattern);
  cache.set(pattern, re);
  return re;
}

function translate(pattern: string): RegExp | null {
  let out = '';
  let i = 0;
  if (pattern.startsWith('^')) {
    out += '^';
    i = 1;
  }
  while (i < pattern.length) {
    const c = pattern[i] as string;
    let atom: string;
    if (c === '$' && i === pattern.length - 1) {
      out += '$';
      i++;
      continue;
    }
    if (c === '(' || c === ')') return null;
    if (c === '%') {
      const next = pattern[i + 1];
      if (next === undefined || next === 'b' || next === 'f') return null;
      const cls = classBody(next);
      if (cls) atom = cls.negated ? `[^${cls.body}]` : `[${cls.body}]`;
      else if (/[A-Za-z0-9]/.test(next)) return null;
      else atom = escapeChar(next);
      i += 2;
    } else if (c === '[') {
      const end = setEnd(pattern, i);
      if (end < 0) return null;
      const body = setBody(pattern.slice(i + 1, end));
      if (body === null) return null;
      atom = body;
      i = end + 1;
    } else if (c === '.') {
      atom = '[\\s\\S]';
      i++;
    } else {
      atom = escapeChar(c);
      i++;
    }
    const q = pattern[i];
    if (q === '*' || q === '+' || q === '?') {
      atom += q;
      i++;
    } else if (q === '-') {
      atom += '*?';
      i++;
    }
    out += atom;
  }
  try {
    return new RegExp(out);
  } catch {
    return null;
  }
}

/** Index of the `]` closing the set opened at `start` (a `]` right after `[` or `[^` is literal). */
function setEnd(pattern: string, start: number): number {
  let i = start + 1;
  if (pattern[i] === '^') i++;
  if (pattern[i] === ']') i++;
  while (i < pattern.length) {
    if (pattern[i] === '%') i += 2;
    else if (pattern[i] === ']') return i;
    else i++;
  }
  return -1;
}

function setBody(inner: string): string | null {
  let negated = false;
  let i = 0;
  if (inner.startsWith('^')) {
    negated = true;
    i = 1;
  }
  let body = '';
  while (i < inner.length) {
    const c = inner[i] as string;
    if (c === '%') {
      const next = inner[i + 1];
      if (next === undefined) return null;
      const cls = classBody(next);
      if (cls?.negated) return null;
      body += cls ? cls.body : escapeChar(next);
      i += 2;
    } else if (inner[i + 1] === '-' && i + 2 < inner.length) {
      body += `${escapeChar(c)}-${escapeChar(inner[i + 2] as string)}`;
      i += 3;
    } else {
      body += escapeChar(c);
      i++;
    }
  }
  return `[${negated ? '^' : ''}${body}]`;
}
