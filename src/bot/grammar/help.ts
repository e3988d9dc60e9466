import { COMMANDS, commandSpec } from './commands.ts';
import type { CommandName } from './types.ts';

/**
 * Help as Slack mrkdwn, built from the same table the parser uses, so usage shown and usage accepted
 * cannot drift apart. Usage lines sit in code spans: `<connection>` would otherwise need escaping.
 */
export function helpText(topic?: CommandName): string {
  if (topic) {
    const spec = commandSpec(topic);
    return [`\`${spec.usage}\``, spec.summary, ...spec.details].join('\n');
  }
  const lines = COMMANDS.map((c) => `• \`${c.usage}\` — ${c.summary}`);
  return [
    '*snapgate* backs up and restores API gateways (Kong, AWS API Gateway). Commands:',
    ...lines,
    'More: `/kong help <command>`.',
    // (written so that answering `/snapgate` — which renames `/kong ` and `` /kong` `` — keeps both names)
    'Both slash commands, /snapgate and /kong, take every command above, on a connection of any gateway type.',
  ].join('\n');
}

/** The one-line usage of a command, as the parser's errors carry it. */
export function usageOf(name: CommandName): string {
  return commandSpec(name).usage;
}
