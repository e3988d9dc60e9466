/**
 * The Slack settings, read once from the environment (tokens never live in snapgate.yml):
 * - `SLACK_BOT_TOKEN` (xoxb-…): always.
 * - `SLACK_SIGNING_SECRET`: for the HTTP receiver (requests are signature-checked).
 * - `SLACK_APP_TOKEN` (xapp-…, `connections:write`): switches to Socket Mode.
 * - `SLACK_API_URL`: another Web API base URL (a local fake Slack in tests and local runs).
 * - `PORT`: the HTTP receiver's port (default 3000); `/slack/events` is the request URL.
 * - `SLACK_REPORT_CHANNEL`: optional channel id for retention (prune) summaries.
 */
import { Secret } from '../config/index.ts';

export interface BotEnv {
  botToken: Secret<string>;
  signingSecret: Secret<string> | null;
  appToken: Secret<string> | null;
  apiUrl: string | null;
  port: number;
  reportChannel: string | null;
}

export class BotEnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Slack settings are incomplete:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'BotEnvError';
  }
}

/**
 * `receiving: false` reads the settings of a process that only writes to Slack (`snapgate worker`): it
 * needs the bot token, not the signing secret or app token of a receiver.
 */
export function readBotEnv(
  env: Record<string, string | undefined>,
  { receiving = true }: { receiving?: boolean } = {},
): BotEnv {
  const problems: string[] = [];
  const value = (name: string) => {
    const v = env[name]?.trim();
    return v ? v : null;
  };
  const botToken = value('SLACK_BOT_TOKEN');
  const signingSecret = value('SLACK_SIGNING_SECRET');
  const appToken = value('SLACK_APP_TOKEN');
  const apiUrl = value('SLACK_API_URL');
  const portText = value('PORT') ?? '3000';
  const port = Number(portText);
  if (!botToken) problems.push('SLACK_BOT_TOKEN is not set (the xoxb- token from "OAuth & Permissions")');
  else if (!botToken.startsWith('xoxb-')) problems.push('SLACK_BOT_TOKEN must be a bot token (xoxb-…)');
  if (appToken && !appToken.startsWith('xapp-'))
    problems.push('SLACK_APP_TOKEN must be an app-level token (xapp-…) with connections:write');
  if (receiving && !appToken && !signingSecret)
    problems.push(
      'SLACK_SIGNING_SECRET is not set (needed for the HTTP receiver; or set SLACK_APP_TOKEN for Socket Mode)',
    );
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    problems.push(`PORT must be 0-65535, not "${portText}"`);
  if (apiUrl && !/^https?:\/\/.+\/$/.test(apiUrl))
    problems.push('SLACK_API_URL must be an http(s) URL ending in "/"');
  if (problems.length) throw new BotEnvError(problems);
  return {
    botToken: new Secret(botToken!),
    signingSecret: signingSecret ? new Secret(signingSecret) : null,
    appToken: appToken ? new Secret(appToken) : null,
    apiUrl,
    port,
    reportChannel: value('SLACK_REPORT_CHANNEL'),
  };
}
