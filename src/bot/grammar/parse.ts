import type { Args, FlagSpec } from './args.ts';
import { COMMANDS, type CommandSpec, commandSpec } from './commands.ts';
import { closestMatches, orList } from './suggest.ts';
import { type Token, tokenize } from './tokenize.ts';
import { COMMAND_NAMES, type CommandName, type ParseError, type ParseResult } from './types.ts';
import { shown } from './values.ts';

/** Shown when the command itself is missing or unknown. */
export const GENERAL_USAGE = `/kong <command> [arguments] — commands: ${COMMAND_NAMES.join(', ')}. Try \`/kong help\`.`;

/**
 * Parses the text after `/kong` (as Slack sends it in the slash command's `text` field) into one command.
 * Pure and total: every input gives a value, errors included; nothing here throws.
 */
export function parseKongCommand(input: string): ParseResult {
  const tokenized = tokenize(input);
  if (!tokenized.ok) return fail(tokenized.message);
  const [first, ...rest] = tokenized.tokens;
  if (!first) return { ok: true, command: { name: 'help' } };
  if (isHelpFlag(first)) return { ok: true, command: { name: 'help' } };
  if (isFlag(first)) return fail(`Start with a command before options like ${shown(first.text)}.`);

  const word = first.text.toLowerCase();
  const spec = COMMANDS.find((c) => c.name === word);
  if (!spec) {
    const near = closestMatches(word, COMMAND_NAMES);
    const hint = near.length ? ` Did you mean ${orList(near)}?` : '';
    return fail(`Unknown command ${shown(first.text)}.${hint}`, near);
  }
  if (rest.some(isHelpFlag)) return { ok: true, command: { name: 'help', topic: spec.name } };

  const sorted = sortWords(spec, rest);
  if (!sorted.ok) return failFor(spec, sorted.message, sorted.suggestions);
  const counted = checkPositionals(spec, sorted.value);
  if (counted) return failFor(spec, counted);
  if (spec.name === 'help') return helpCommand(sorted.value);

  const built = spec.build(sorted.value);
  return built.ok ? { ok: true, command: built.value } : failFor(spec, built.message, built.suggestions);
}

function helpCommand(a: Args): ParseResult {
  const topicWord = a.positionals[0];
  if (!topicWord) return { ok: true, command: { name: 'help' } };
  const topic = COMMAND_NAMES.find((n) => n === topicWord.text.toLowerCase());
  if (topic) return { ok: true, command: { name: 'help', topic } };
  const near = closestMatches(topicWord.text, COMMAND_NAMES);
  const hint = near.length ? ` Did you mean ${orList(near)}?` : '';
  return failFor(commandSpec('help'), `There is no command ${shown(topicWord.text)}.${hint}`, near);
}

type Sorted = { ok: true; value: Args } | { ok: false; message: string; suggestions?: string[] };

/** Separates options from positionals, checking option names, values and repeats against the table. */
function sortWords(spec: CommandSpec, words: Token[]): Sorted {
  const args: Args = { positionals: [], flags: new Map() };
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (!isFlag(word)) {
      args.positionals.push(word);
      continue;
    }
    const eq = word.text.indexOf('=');
    const name = (eq === -1 ? word.text.slice(2) : word.text.slice(2, eq)).toLowerCase();
    const flag = spec.flags.find((f) => f.name === name);
    if (!flag) return unknownFlag(spec, name);
    if (args.flags.has(name) && flag.arity !== 'list')
      return { ok: false, message: `--${name} is given twice.` };
    if (flag.arity === 'boolean') {
      if (eq !== -1) return { ok: false, message: `--${name} takes no value.` };
      args.flags.set(name, []);
      continue;
    }
    let values: Token[];
    if (eq !== -1) {
      values = [valuePart(word, eq + 1)];
      if (flag.arity === 'text' && !word.quoted) {
        const more = wordsUntilFlag(words, i + 1);
        values = [joinWords([...values, ...more])];
        i += more.length;
      }
    } else {
      const next = words[i + 1];
      if (!next || isFlag(next)) return { ok: false, message: `--${name} needs a value.` };
      values = flag.arity === 'text' && !next.startsQuoted ? wordsUntilFlag(words, i + 1) : [next];
      i += flag.arity === 'text' && !next.startsQuoted ? values.length : 1;
      if (values.length > 1) values = [joinWords(values)];
    }
    args.flags.set(name, [...(args.flags.get(name) ?? []), ...values]);
  }
  return { ok: true, value: args };
}

function checkPositionals(spec: CommandSpec, a: Args): string | undefined {
  const missing = spec.positionals.slice(a.positionals.length).find((p) => !p.optional);
  // restore decides itself whether its optional backup may be left out (it may, with --at)
  if (missing) return `Missing ${missing.name}.`;
  const extra = a.positionals[spec.positionals.length];
  if (extra) return `Unexpected ${shown(extra.text)}${spec.flags.length ? ' (options start with --)' : ''}.`;
  return undefined;
}

function unknownFlag(spec: CommandSpec, name: string): Sorted {
  const near = closestMatches(
    name,
    spec.flags.map((f: FlagSpec) => f.name),
  ).map((n) => `--${n}`);
  const hint = near.length ? ` Did you mean ${orList(near)}?` : '';
  const none = spec.flags.length === 0 ? ` \`${spec.name}\` takes no options.` : '';
  return {
    ok: false,
    message: `Unknown option ${shown(`--${name}`)} for \`${spec.name}\`.${none}${hint}`,
    suggestions: near,
  };
}

function isFlag(t: Token): boolean {
  return !t.startsQuoted && /^--[a-z]/i.test(t.text);
}

function isHelpFlag(t: Token): boolean {
  return !t.startsQuoted && (t.text.toLowerCase() === '--help' || t.text === '-h');
}

/** The value of `--name=value` as its own word, keeping a mention that fills it exactly (`--user=<@U1>`). */
function valuePart(word: Token, from: number): Token {
  const text = word.text.slice(from);
  const escapes = word.escapes
    .filter((e) => e.start >= from)
    .map((e) => ({ ...e, start: e.start - from, end: e.end - from }));
  const whole = escapes.length === 1 && escapes[0]!.start === 0 && escapes[0]!.end === text.length;
  const value: Token = { text, quoted: word.quoted, startsQuoted: word.quoted, escapes };
  return whole ? { ...value, escape: escapes[0]!.escape } : value;
}

function wordsUntilFlag(words: Token[], from: number): Token[] {
  const out: Token[] = [];
  for (let j = from; j < words.length && !isFlag(words[j]!); j++) out.push(words[j]!);
  return out;
}

function joinWords(words: Token[]): Token {
  const escapes: Token['escapes'] = [];
  let text = '';
  for (const w of words) {
    if (text !== '') text += ' ';
    escapes.push(...w.escapes.map((e) => ({ ...e, start: e.start + text.length, end: e.end + text.length })));
    text += w.text;
  }
  return { text, quoted: words.some((w) => w.quoted), startsQuoted: false, escapes };
}

function fail(message: string, suggestions: string[] = []): ParseError {
  return { ok: false, message, usage: GENERAL_USAGE, suggestions };
}

function failFor(spec: CommandSpec, message: string, suggestions: string[] = []): ParseError {
  return { ok: false, message, usage: spec.usage, command: spec.name as CommandName, suggestions };
}
