/** Short ephemeral answers: help, usage errors, refusals, connections, plain notes. */
import type { Role } from '../../config/index.ts';
import { escapeMrkdwn, section } from '../blocks/index.ts';
import type { ParseError } from '../grammar/index.ts';
import { code, plural } from './format.ts';
import type { SlackMessage } from './message.ts';

export function note(text: string): SlackMessage {
  return { text, blocks: [section(text)] };
}

export function helpMessage(mrkdwnHelp: string): SlackMessage {
  return { text: 'snapgate help', blocks: [section(mrkdwnHelp)] };
}

/**
 * A usage line in readable pieces: the command with its required arguments in one code span, each
 * option in its own (`[--limit N]` → `--limit N`), so a long usage wraps between options, not inside one.
 */
export function usageLines(usage: string): string[] {
  // the grammar's own text: a syntax, then maybe " — " and prose that may hold code spans
  const [syntax = '', ...prose] = usage.split(' — ');
  const parts = syntax.replace(/`/g, "'").match(/\[[^\]]*\]|--[\w-]+(?: "[^"]*"| [^\s[-][^\s]*)?|\S+/g) ?? [];
  const options = parts.filter((p) => p.startsWith('[--'));
  const required = parts.filter((p) => !p.startsWith('[--'));
  const rest = prose.length ? ` — ${prose.join(' — ')}` : '';
  // as in the help: the grammar's `<connection>` shows as typed inside code spans
  const span = (s: string) => `\`${s}\``;
  const lines = [`*Usage:* ${span(required.join(' '))}${rest}`];
  if (options.length) lines.push(`*Options:* ${options.map((o) => span(o.slice(1, -1))).join(' · ')}`);
  return lines;
}

/** What was wrong, the usage line of that command, and the closest names when something was misspelt. */
export function usageMessage(error: ParseError): SlackMessage {
  const lines = [`:warning: ${error.message}`, ...usageLines(error.usage)];
  if (error.suggestions.length && !error.message.includes('Did you mean')) {
    lines.push(`Closest: ${error.suggestions.map(code).join(', ')}`);
  }
  return { text: error.message, blocks: [section(lines.join('\n'))] };
}

export function refusalMessage(message: string): SlackMessage {
  return { text: message, blocks: [section(`:no_entry: ${message}`)] };
}

export interface ConnectionRow {
  name: string;
  /** the gateway type as people say it (`Kong`, `AWS API Gateway`) */
  gateway: string;
  environment: string;
  owner: string | null;
  role: Role | null;
}

/** Names, environments, owners and the caller's role: never URLs (they may embed credentials) or tokens. */
export function connectionsMessage(rows: readonly ConnectionRow[]): SlackMessage {
  const lines = rows.map(
    (r) =>
      `• ${code(r.name)} — ${escapeMrkdwn(r.gateway)}, ${escapeMrkdwn(r.environment)}` +
      `${r.owner ? `, owner ${escapeMrkdwn(r.owner)}` : ''}` +
      ` · your role: ${r.role ? `*${r.role}*` : 'none'}`,
  );
  return {
    text: plural(rows.length, 'connection'),
    blocks: [section(`*Gateways snapgate knows*\n${lines.join('\n')}`)],
  };
}
