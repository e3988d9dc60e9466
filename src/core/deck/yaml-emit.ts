/**
 * A small block-style YAML writer for plain JSON data (what decK files hold). The `yaml` package's
 * stringify builds a node tree first and needs tens of seconds for a 146k-entity gateway; this writes
 * the text directly. Strings are left plain only when every YAML reader takes them as the same string
 * (YAML 1.1 as decK and Kong read, and 1.2): otherwise they are double-quoted with JSON escapes, which
 * are valid YAML escapes. Multi-line strings (PEM blocks) become literal blocks.
 */

/** Words YAML 1.1 reads as booleans or null (go-yaml v2, libyaml), in any of their spellings. */
const RESERVED = new Set(
  ['y', 'yes', 'n', 'no', 'true', 'false', 'on', 'off', 'null'].flatMap((w) => [
    w,
    w.toUpperCase(),
    w[0]!.toUpperCase() + w.slice(1),
  ]),
);
const PLAIN_RE = /^[A-Za-z_/][A-Za-z0-9_./-]*$/;

/** An exponent alone (`E0`, `e12`, `e-0`) is a float to some YAML 1.1 readers. */
const EXPONENT_RE = /^[eE][-+]?[0-9]+$/;

function scalarString(s: string): string {
  return PLAIN_RE.test(s) && !RESERVED.has(s) && !EXPONENT_RE.test(s) ? s : JSON.stringify(s);
}

/** A literal block keeps PEMs readable; anything a block cannot carry exactly is quoted instead. */
function literalBlock(s: string, indent: string): string | null {
  // control characters, tabs, CR, and spaces at line ends or starts do not survive a literal block
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u0009\u000b-\u001f\u007f\u2028\u2029\ufeff]/.test(s) || / \n|^ |\n /.test(s)) return null;
  const body = s.replace(/\n+$/, '');
  const trailing = s.length - body.length;
  if (body === '' || body.endsWith(' ')) return null;
  const chomp = trailing === 0 ? '|-' : trailing === 1 ? '|' : '|+';
  const lines = body.split('\n').map((l) => (l === '' ? '' : indent + l));
  const extra = trailing > 1 ? '\n'.repeat(trailing - 1) : '';
  return `${chomp}\n${lines.join('\n')}${extra}`;
}

function scalar(v: unknown, indent: string): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') {
    if (v.includes('\n')) return literalBlock(v, indent) ?? JSON.stringify(v);
    return scalarString(v);
  }
  if (typeof v === 'number') return number(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return JSON.stringify(v);
}

/** YAML 1.1 floats need a dot in the mantissa: `1e-7` would read back as a string there. */
function number(v: number): string {
  if (!Number.isFinite(v)) return JSON.stringify(String(v));
  const text = String(v);
  return /e/.test(text) && !text.includes('.') ? text.replace('e', '.0e') : text;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function emitMap(obj: Record<string, unknown>, indent: string, out: string[], first: string | null): void {
  let lead = first;
  for (const [key, value] of Object.entries(obj)) {
    const prefix = lead ?? indent;
    lead = null;
    emitEntry(`${prefix}${scalarString(key)}:`, value, `${indent}  `, out);
  }
  if (lead !== null) out.push(`${lead}{}`);
}

function emitSeq(list: unknown[], indent: string, out: string[], first: string | null): void {
  let lead = first;
  for (const item of list) {
    const prefix = `${lead ?? indent}- `;
    lead = null;
    if (isObject(item) && Object.keys(item).length > 0) emitMap(item, `${indent}  `, out, prefix);
    else if (Array.isArray(item) && item.length > 0) emitSeq(item, `${indent}  `, out, prefix);
    else out.push(prefix + inline(item, `${indent}  `));
  }
  if (lead !== null) out.push(`${lead}[]`);
}

function inline(v: unknown, indent: string): string {
  if (Array.isArray(v)) return '[]';
  if (isObject(v)) return '{}';
  return scalar(v, indent);
}

/** `head` is `key:`; the value goes on the same line (scalars, empty collections) or below it. */
function emitEntry(head: string, value: unknown, indent: string, out: string[]): void {
  if (isObject(value) && Object.keys(value).length > 0) {
    out.push(head);
    emitMap(value, indent, out, null);
  } else if (Array.isArray(value) && value.length > 0) {
    out.push(head);
    emitSeq(value, indent, out, null);
  } else out.push(`${head} ${inline(value, indent)}`);
}

export function emitYaml(doc: Record<string, unknown>): string {
  const out: string[] = [];
  emitMap(doc, '', out, null);
  return out.length === 0 ? '{}\n' : `${out.join('\n')}\n`;
}
