import type { Token } from './tokenize.ts';
import type { Read } from './values.ts';

/**
 * How an option takes its value:
 * - `boolean`: no value (`--no-deletes`);
 * - `value`: one word (`--limit 20`, `--limit=20`);
 * - `text`: free text, either one quoted word or every unquoted word up to the next option, so
 *   `--reason plugin broke checkout` works without quotes;
 * - `list`: one word, and the option may repeat (`--only plugins --only routes`).
 */
export type FlagArity = 'boolean' | 'value' | 'text' | 'list';

export interface FlagSpec {
  name: string;
  arity: FlagArity;
}

/** Words sorted into positionals and options, with option names and arities already checked. */
export interface Args {
  positionals: Token[];
  /** Option name → its value words (empty for boolean options). */
  flags: Map<string, Token[]>;
}

export function hasFlag(a: Args, name: string): boolean {
  return a.flags.has(name);
}

/** Reads an option's first value when the option was given; `undefined` when it was not. */
export function optionalFlag<T>(a: Args, name: string, read: (t: Token) => Read<T>): Read<T | undefined> {
  const words = a.flags.get(name);
  if (!words?.[0]) return { ok: true, value: undefined };
  return read(words[0]);
}

/** Reads a positional that the generic pass already proved present. */
export function positional<T>(a: Args, index: number, read: (t: Token) => Read<T>): Read<T> {
  return read(a.positionals[index]!);
}

type Values<R> = { [K in keyof R]: R[K] extends Read<infer T> ? T : never };

/**
 * Combines several reads into one object, failing with the first error in key order. Keys whose value
 * is `undefined` (an option not given) are left out so results compare cleanly.
 */
export function allOf<R extends Record<string, Read<unknown>>>(reads: R): Read<Values<R>> {
  const out: Record<string, unknown> = {};
  for (const [key, read] of Object.entries(reads)) {
    if (!read.ok) return read;
    if (read.value !== undefined) out[key] = read.value;
  }
  return { ok: true, value: out as Values<R> };
}
