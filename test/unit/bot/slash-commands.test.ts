/**
 * `/kong` and `/snapgate` are one command: the manifest declares exactly the commands the bot registers
 * (both at the same request URL, so Slack delivers either to the one listener), and an answer to
 * `/snapgate` names `/snapgate` in its hints while `/kong`'s answer is left as written.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { section } from '../../../src/bot/blocks/index.ts';
import { helpText } from '../../../src/bot/grammar/index.ts';
import { SLASH_COMMANDS } from '../../../src/bot/listeners/commands/index.ts';
import { inCommand } from '../../../src/bot/views/command-name.ts';
import type { SlackMessage } from '../../../src/bot/views/message.ts';
import { note } from '../../../src/bot/views/simple.ts';

interface Manifest {
  features: { slash_commands: { command: string; url: string; should_escape: boolean }[] };
  settings: { interactivity: { request_url: string } };
}

describe('slash commands', () => {
  it('the manifest declares every command the bot registers, at the one events URL', () => {
    const manifest = parse(
      readFileSync(new URL('../../../manifest.yml', import.meta.url), 'utf8'),
    ) as Manifest;
    const commands = manifest.features.slash_commands;
    expect(commands.map((c) => c.command)).toEqual([...SLASH_COMMANDS]);
    for (const c of commands) {
      expect(c.url).toBe(manifest.settings.interactivity.request_url);
      expect(c.should_escape).toBe(true);
    }
  });

  it('answers name the command typed', () => {
    const help: SlackMessage = { text: helpText(), blocks: [section(helpText())] };
    const renamed = JSON.stringify(inCommand(help, '/snapgate'));
    expect(renamed).toContain('`/snapgate backup <connection> [--note \\"text\\"]`');
    expect(renamed).toContain('More: `/snapgate help <command>`');
    expect(renamed).not.toMatch(/\/kong[\s`]/);
    expect(renamed).toContain('Both slash commands, /snapgate and /kong, take every command above');
    expect(inCommand(help, '/kong')).toBe(help);
    // only the command word: other text that merely contains it is kept
    expect(inCommand(note('see /kongsim and GET /kong/status'), '/snapgate').text).toBe(
      'see /kongsim and GET /kong/status',
    );
  });
});
