/**
 * The Slack settings, read once from the environment (tokens never live in snapgate.yml):
 * - `SLACK_BOT_TOKEN` (xoxb-…): always.
 * - `SLACK_SIGNING_SECRET`: for the HTTP receiver (requests are signature-checked).
 * - `SLACK_APP_TOKEN` (xapp-…, `connections:write`): switches to Socket Mode.
 * - `SLACK_API_URL`: another Web API base URL (a local fake Slack in tests and local runs).
 * - `PORT`: the HTTP receiver's port (default 3000); `/slack/events` is the request URL. `/healthz` and
 *   `/readyz` answer there too — in Socket Mode on a small listener of their own on this port.
 * - `SLACK_RECONNECT_MIN_MS`, `SLACK_RECONNECT_MAX_MS`: Socket Mode's reconnect back-off (default 1000 and
 *   60000): the first wait after a failed attempt, doubling up to the longest.
 * - `SLACK_REPORT_CHANNEL`: optional channel id for retention (prune) summaries.
 * - `SLACK_AUDIT_CHANNEL`: optional channel id where every signed audit checkpoint is posted (and a refused
 *   one, when the chain no longer extends the last checkpoint): a copy of the head outside the database.
 */
import { Secret } from '../config/index.ts';

export interface BotEnv {
  botToken: Secret<string>;
  signingSecret: Secret<string> | null;
  appToken: Secret<string> | null;
  apiUrl: string | null;
  port: number;
  reportChannel: string | null;
  auditChannel: string | null;
  /** Socket Mode reconnect back-off (socket-link.ts) */
  reconnect: { minMs: number; maxMs: number };
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
  const backoff = (name: string, fallback: number) => {
    const text = value(name);
    const ms = text === null ? fallback : Number(text);
    if (!Number.isInteger(ms) || ms < 1 || ms > 3_600_000) {
      problems.push(`${name} must be a whole number of milliseconds from 1 to 3600000, not "${text}"`);
      return fallback;
    }
    return ms;
  };
  const reconnect = {
    minMs: backoff('SLACK_RECONNECT_MIN_MS', 1000),
    maxMs: backoff('SLACK_RECONNECT_MAX_MS', 60_000),
  };
  if (reconnect.minMs > reconnect.maxMs)
    problems.push('SLACK_RECONNECT_MIN_MS must not be larger than SLACK_RECONNECT_MAX_MS');
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
    auditChannel: value('SLACK_AUDIT_CHANNEL'),
    reconnect,
  };
}
