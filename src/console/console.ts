/**
 * The local console: a Slack stand-in (./slack) plus a page that shows its channel as Slack would and lets
 * people act in it. The bot under it is the real one: the page's commands and clicks go to the bot's
 * `/slack/events` as signed slash commands and `block_actions`, the bot answers through `response_url`
 * and the Web API (`SLACK_API_URL` = `apiUrl`), and every payload is checked against Block Kit limits
 * (a refusal shows in the page as an error). Changes reach the page live over Server-Sent Events.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { COMMANDS } from '../bot/grammar/index.ts';
import { BREAKAGES, type Breakage, GatewayPanel } from './gateway.ts';
import {
  blockActionPayload,
  type FakeEphemeral,
  type FakeFile,
  type FakeMessage,
  type FakeSlack,
  type SlackDelivery,
  sendSigned,
  sendSlashCommand,
  startFakeSlack,
  type WorkspaceEvent,
} from './slack/index.ts';

export interface ConsolePerson {
  id: string;
  name: string;
  /** what the page says about them, e.g. "operator on prod" */
  role: string;
  tz?: string;
}

export interface ConsoleOptions {
  /** the bot's request URL, e.g. http://127.0.0.1:3000/slack/events (may be set later with setBotUrl) */
  botUrl?: string;
  signingSecret: string;
  token: string;
  people: ConsolePerson[];
  channel?: { id: string; name: string };
  /** the gateway's Admin API, for the panel; none hides the panel */
  gateway?: { url: string; token?: string; name: string };
  port?: number;
  /** how often the gateway is counted while a page is open; default 1500 ms */
  gatewayPollMs?: number;
}

export interface SlackConsole {
  /** http://127.0.0.1:<port>/ — the page */
  url: string;
  /** Web API base URL for the bot (`SLACK_API_URL`) */
  apiUrl: string;
  slack: FakeSlack;
  setBotUrl(url: string): void;
  /** Sends `/kong <text>` as a person, as the page does. */
  command(user: string, text: string): Promise<SlackDelivery>;
  close(): Promise<void>;
}

const PAGE_DIR = join(import.meta.dirname, 'page');
const STATIC: Record<string, [string, string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/app.js': ['app.js', 'text/javascript; charset=utf-8'],
  '/blocks.js': ['blocks.js', 'text/javascript; charset=utf-8'],
  '/style.css': ['style.css', 'text/css; charset=utf-8'],
};

const MAX_BODY = 64 * 1024;

export async function startConsole(o: ConsoleOptions): Promise<SlackConsole> {
  const channel = o.channel ?? { id: 'C0SNAPGATE', name: 'ops' };
  let botUrl = o.botUrl ?? '';
  const clients = new Set<ServerResponse>();
  const gateway = o.gateway ? new GatewayPanel(o.gateway.url, o.gateway.token) : null;
  let lastCounts = '';
  let seq = 0;
  const person = (id: string) => o.people.find((p) => p.id === id);

  const send = (event: string, data: unknown) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const c of clients) c.write(frame);
  };
  const notice = (level: 'error' | 'info', text: string) => send('notice', { level, text, at: Date.now() });

  const slack: FakeSlack = await startFakeSlack({
    token: o.token,
    users: o.people.map((p) => ({ id: p.id, name: p.name, ...(p.tz ? { tz: p.tz } : {}) })),
    port: o.port ?? 0,
    routes: (req, res, path) => route(req, res, path),
  });
  slack.workspace.listeners.add((e: WorkspaceEvent) => {
    if (e.type === 'message') send('message', messageView(e.message));
    else if (e.type === 'ephemeral') send('ephemeral', ephemeralView(e.ephemeral));
    else if (e.type === 'file') send('file', fileView(e.file));
    else send('notice', { level: 'error', text: e.problem, at: Date.now() });
  });

  async function refreshGateway(): Promise<void> {
    if (!gateway) return;
    try {
      const counts = await gateway.counts();
      const key = JSON.stringify(counts);
      if (key !== lastCounts) {
        lastCounts = key;
        send('gateway', counts);
      }
    } catch (err) {
      const key = `error:${(err as Error).message}`;
      if (key !== lastCounts) {
        lastCounts = key;
        notice('error', `gateway: ${(err as Error).message}`);
      }
    }
  }
  const poll = setInterval(() => {
    if (clients.size > 0) void refreshGateway();
  }, o.gatewayPollMs ?? 1500);
  poll.unref();

  async function command(user: string, text: string): Promise<SlackDelivery> {
    if (!botUrl) throw new Error('the bot is not connected yet');
    const id = `cmd-${++seq}`;
    const delivery = await sendSlashCommand(botUrl, o.signingSecret, {
      text,
      userId: user,
      userName: person(user)?.name ?? user,
      channelId: channel.id,
      channelName: channel.name,
      teamId: slack.identity.teamId,
      responseUrl: slack.responseUrl(id, { channel: channel.id, user }),
    });
    answered(delivery, `/kong ${text}`, { channel: channel.id, user });
    return delivery;
  }

  /** What the bot's HTTP answer means: an error in the page, or an ack with a message (an ephemeral). */
  function answered(d: SlackDelivery, what: string, ctx: { channel: string; user: string }): void {
    if (d.status !== 200) {
      notice(
        'error',
        `the bot answered HTTP ${d.status} to ${what}${d.body ? `: ${d.body.slice(0, 200)}` : ''}`,
      );
    } else if (d.ackMs > 3000) {
      notice(
        'error',
        `the bot took ${Math.round(d.ackMs)} ms to answer ${what}; Slack gives up after 3000 ms`,
      );
    }
    if (d.json && typeof d.json === 'object' && 'text' in d.json) {
      const refused = slack.workspace.refusal(`ack of ${what}`, d.json as Record<string, unknown>);
      if (!refused) slack.workspace.applyResponse(ctx, d.json as Record<string, unknown>);
    }
  }

  async function click(body: ClickBody): Promise<SlackDelivery> {
    if (!botUrl) throw new Error('the bot is not connected yet');
    const message = slack.message(channel.id, body.ts);
    const ephemeral = message ? undefined : slack.ephemerals.find((e) => e.messageTs === body.ts);
    if (!message && !ephemeral) throw new Error(`no message ${body.ts} in the channel`);
    const shown = message ?? ephemeral!;
    const id = `click-${++seq}`;
    const payload = blockActionPayload({
      actionId: body.actionId,
      value: body.value ?? '',
      userId: body.user,
      userName: person(body.user)?.name ?? body.user,
      channelId: channel.id,
      messageTs: body.ts,
      blockId: body.blockId,
      teamId: slack.identity.teamId,
      responseUrl: slack.responseUrl(id, {
        channel: channel.id,
        user: body.user,
        ...(message ? { messageTs: body.ts } : {}),
        ...((message?.threadTs ?? ephemeral?.threadTs)
          ? { threadTs: message?.threadTs ?? ephemeral?.threadTs }
          : {}),
      }),
      messageBlocks: shown.blocks ?? [],
      ...(body.text ? { buttonText: body.text } : {}),
    });
    // Slack echoes the whole message the button sits in, attachments too, and marks ephemeral containers.
    const echoed = payload.message as Record<string, unknown>;
    echoed.text = shown.text ?? '';
    if (shown.attachments) echoed.attachments = shown.attachments;
    if (message?.threadTs) echoed.thread_ts = message.threadTs;
    (payload.container as Record<string, unknown>).is_ephemeral = !message;
    const raw = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const delivery = await sendSigned(botUrl, o.signingSecret, raw);
    answered(delivery, `the ${body.text ?? body.actionId} button`, { channel: channel.id, user: body.user });
    return delivery;
  }

  function state() {
    return {
      channel,
      people: o.people,
      gateway: o.gateway ? { name: o.gateway.name, url: o.gateway.url, breakages: BREAKAGES } : null,
      commands: COMMANDS.map((c) => ({ name: c.name, usage: c.usage, summary: c.summary })),
      messages: slack.messages.filter((m) => m.channel === channel.id).map(messageView),
      ephemerals: slack.ephemerals.filter((e) => e.channel === channel.id).map(ephemeralView),
      files: slack.files.filter((f) => f.completed).map(fileView),
      problems: [...slack.problems],
    };
  }

  async function route(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    const asset = STATIC[path];
    if (req.method === 'GET' && asset) {
      const body = await readFile(join(PAGE_DIR, asset[0]));
      res.writeHead(200, { 'content-type': asset[1], 'cache-control': 'no-store' });
      res.end(body);
      return true;
    }
    if (req.method === 'GET' && path === '/favicon.ico') {
      res.writeHead(204).end();
      return true;
    }
    if (req.method === 'GET' && path === '/console/state') return reply(res, 200, state());
    if (req.method === 'GET' && path === '/console/events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(`event: hello\ndata: {}\n\n`);
      clients.add(res);
      lastCounts = '';
      void refreshGateway();
      req.on('close', () => clients.delete(res));
      return true;
    }
    const file = /^\/console\/files\/(F\w+)$/.exec(path);
    if (req.method === 'GET' && file) {
      const f = slack.files.find((x) => x.id === file[1] && x.completed);
      if (!f?.content) return reply(res, 404, { error: 'no such file' });
      res.writeHead(200, {
        'content-type': 'text/plain; charset=utf-8',
        'content-disposition': `inline; filename="${f.filename.replace(/[^\w.-]/g, '_')}"`,
      });
      res.end(f.content);
      return true;
    }
    if (req.method !== 'POST') return false;
    const body = await readJson(req);
    if (!body) return reply(res, 400, { error: 'the request body must be a JSON object' });
    const user = typeof body.user === 'string' && person(body.user) ? body.user : null;
    try {
      if (path === '/console/command') {
        if (!user) return reply(res, 400, { error: 'unknown person' });
        const text = typeof body.text === 'string' ? body.text.replace(/^\s*\/kong\b\s*/, '') : '';
        const d = await command(user, text);
        return reply(res, 200, { status: d.status, ackMs: Math.round(d.ackMs) });
      }
      if (path === '/console/click') {
        if (!user) return reply(res, 400, { error: 'unknown person' });
        if (
          typeof body.ts !== 'string' ||
          typeof body.actionId !== 'string' ||
          typeof body.blockId !== 'string'
        )
          return reply(res, 400, { error: 'ts, actionId and blockId are required' });
        const d = await click(body as unknown as ClickBody);
        return reply(res, 200, { status: d.status, ackMs: Math.round(d.ackMs) });
      }
      const breakage = /^\/console\/gateway\/([\w-]+)$/.exec(path)?.[1];
      if (breakage) {
        if (!gateway || !(breakage in BREAKAGES)) return reply(res, 404, { error: 'no such breakage' });
        const done = await gateway.break(breakage as Breakage);
        notice('info', `gateway ${o.gateway!.name}: ${done}`);
        await refreshGateway();
        return reply(res, 200, { done });
      }
    } catch (err) {
      // the page that asked shows the error itself
      return reply(res, 502, { error: (err as Error).message });
    }
    return false;
  }

  return {
    url: `${slack.origin}/`,
    apiUrl: slack.url,
    slack,
    setBotUrl: (url) => {
      botUrl = url;
    },
    command,
    async close() {
      clearInterval(poll);
      for (const c of clients) c.end();
      clients.clear();
      await slack.close();
    },
  };
}

interface ClickBody {
  user: string;
  ts: string;
  actionId: string;
  blockId: string;
  value?: string;
  text?: string;
}

function reply(res: ServerResponse, status: number, body: unknown): true {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
  return true;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk as Buffer);
  }
  try {
    const v: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function messageView(m: FakeMessage) {
  return {
    ts: m.ts,
    threadTs: m.threadTs ?? null,
    text: m.text ?? '',
    blocks: m.blocks ?? null,
    attachments: m.attachments ?? null,
    fileIds: m.fileIds,
    edits: m.edits,
    deleted: m.deleted === true,
    postedAt: m.postedAt,
  };
}

function ephemeralView(e: FakeEphemeral) {
  return {
    ts: e.messageTs,
    user: e.user,
    threadTs: e.threadTs ?? null,
    text: e.text ?? '',
    blocks: e.blocks ?? null,
    attachments: e.attachments ?? null,
    postedAt: e.at,
  };
}

function fileView(f: FakeFile) {
  return { id: f.id, filename: f.filename, title: f.title ?? f.filename, length: f.length };
}
