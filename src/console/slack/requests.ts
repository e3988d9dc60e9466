import { createHmac, randomBytes } from 'node:crypto';

/**
 * Sends requests to a Bolt HTTP receiver exactly as Slack does (bolt-js src/receivers/verify-request.ts,
 * HTTPModuleFunctions.ts): a form-encoded body, `content-type: application/x-www-form-urlencoded`
 * exactly (Bolt only form-parses that exact value), `X-Slack-Request-Timestamp` in seconds and
 * `X-Slack-Signature: v0=<hex HMAC-SHA256(secret, "v0:" + timestamp + ":" + raw body)>`.
 */

export interface SignOptions {
  /** Unix seconds; default now. Older than 5 minutes is refused by Bolt. */
  timestamp?: number;
  /** Send a signature made with the wrong secret. */
  badSignature?: boolean;
  /** Extra headers, e.g. `X-Slack-Retry-Num` on a redelivery. */
  headers?: Record<string, string>;
}

export interface SlackDelivery {
  status: number;
  /** The receiver's answer: what `ack(...)` sent back (Bolt answers JSON or an empty body). */
  body: string;
  /** `body` parsed as JSON when it is JSON */
  json?: unknown;
  /** Milliseconds from sending to the full answer: what Slack measures against its 3-second limit. */
  ackMs: number;
}

export interface SlashCommandFields {
  text: string;
  userId: string;
  channelId: string;
  responseUrl: string;
  triggerId?: string;
  teamId?: string;
  command?: string;
  userName?: string;
  channelName?: string;
  apiAppId?: string;
}

export interface BlockActionFields {
  actionId: string;
  value: string;
  userId: string;
  channelId: string;
  /** ts of the message holding the button */
  messageTs: string;
  responseUrl: string;
  blockId: string;
  teamId?: string;
  triggerId?: string;
  userName?: string;
  /** The clicked message's blocks as Slack echoes them back; default none. */
  messageBlocks?: unknown[];
  buttonText?: string;
}

let triggers = 0;
/** Slack mints a new trigger_id for every invocation and click ("<ts>.<team number>.<hex>"). */
export function triggerId(): string {
  return `${Date.now()}${String(++triggers).padStart(4, '0')}.1234567890.${randomBytes(16).toString('hex')}`;
}

export function slackSignature(secret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export async function sendSigned(
  url: string,
  secret: string,
  rawBody: string,
  opts: SignOptions = {},
): Promise<SlackDelivery> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = slackSignature(opts.badSignature ? `${secret}-forged` : secret, timestamp, rawBody);
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...opts.headers,
    },
    body: rawBody,
  });
  const body = await res.text();
  const ackMs = performance.now() - started;
  const delivery: SlackDelivery = { status: res.status, body, ackMs };
  try {
    if (body !== '') delivery.json = JSON.parse(body);
  } catch {
    // plain-text answers (e.g. 401 bodies) stay in `body`
  }
  return delivery;
}

/** The form fields of a slash command, form-encoded as Slack POSTs them. */
export function slashCommandBody(f: SlashCommandFields): string {
  return new URLSearchParams(slashCommandPayload(f)).toString();
}

/** The fields of a slash command (bolt-js src/types/command/index.ts); Socket Mode sends them as JSON. */
export function slashCommandPayload(f: SlashCommandFields): Record<string, string> {
  return {
    token: 'deprecated-verification-token',
    team_id: f.teamId ?? 'T0SNAPGATE',
    team_domain: 'snapgate-test',
    channel_id: f.channelId,
    channel_name: f.channelName ?? 'ops',
    user_id: f.userId,
    user_name: f.userName ?? 'someone',
    command: f.command ?? '/kong',
    text: f.text,
    api_app_id: f.apiAppId ?? 'A0SNAPGATE',
    is_enterprise_install: 'false',
    response_url: f.responseUrl,
    trigger_id: f.triggerId ?? triggerId(),
  };
}

export function sendSlashCommand(url: string, secret: string, f: SlashCommandFields, opts: SignOptions = {}) {
  return sendSigned(url, secret, slashCommandBody(f), opts);
}

/** A `block_actions` payload for a button click (bolt-js src/types/actions/block-action.ts). */
export function blockActionPayload(f: BlockActionFields): Record<string, unknown> {
  const teamId = f.teamId ?? 'T0SNAPGATE';
  const actionTs = (Date.now() / 1000).toFixed(6);
  return {
    type: 'block_actions',
    user: { id: f.userId, username: f.userName ?? 'someone', name: f.userName ?? 'someone', team_id: teamId },
    api_app_id: 'A0SNAPGATE',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: f.messageTs, channel_id: f.channelId, is_ephemeral: false },
    trigger_id: f.triggerId ?? triggerId(),
    team: { id: teamId, domain: 'snapgate-test' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: f.channelId, name: 'ops' },
    message: {
      type: 'message',
      user: 'U0SNAPBOT',
      bot_id: 'B0SNAPBOT',
      ts: f.messageTs,
      text: '',
      team: teamId,
      blocks: f.messageBlocks ?? [],
    },
    state: { values: {} },
    response_url: f.responseUrl,
    actions: [
      {
        action_id: f.actionId,
        block_id: f.blockId,
        text: { type: 'plain_text', text: f.buttonText ?? f.actionId, emoji: true },
        value: f.value,
        type: 'button',
        action_ts: actionTs,
      },
    ],
  };
}

export function sendBlockAction(url: string, secret: string, f: BlockActionFields, opts: SignOptions = {}) {
  const body = new URLSearchParams({ payload: JSON.stringify(blockActionPayload(f)) }).toString();
  return sendSigned(url, secret, body, opts);
}
