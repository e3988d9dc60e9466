/**
 * Slack's Socket Mode, served by the fake next to its Web API. Protocol facts, from @slack/socket-mode 3.1
 * (SocketModeClient.onWebSocketMessage, send) and Slack's Socket Mode docs as quoted in python-slack-sdk
 * (socket_mode/request.py):
 * - `apps.connections.open` (app-level token) answers `{ ok, url }`: a single-use `wss://…/link/?ticket=…`
 *   URL; here `ws://127.0.0.1:<port>/link/?ticket=…&app_id=…`. A used or unknown ticket is refused.
 * - On connect Slack sends `{ type: "hello", num_connections, connection_info: { app_id },
 *   debug_info: { host, approximate_connection_time } }`.
 * - Requests come as envelopes `{ envelope_id, type, payload, accepts_response_payload }` with type
 *   `slash_commands`, `interactive` or `events_api`; the app acks each with `{ envelope_id, payload? }`.
 * - An envelope not acked in time is delivered again with `retry_attempt` (1, 2, 3) and `retry_reason`.
 *   Deviation (documented in the README): each delivery gets a new `envelope_id`; the payload, and so its
 *   `trigger_id`, is the same.
 * - `{ type: "disconnect", reason: "refresh_requested" | "warning" | "link_disabled" }` asks the app to
 *   reconnect through a new `apps.connections.open`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';

export interface Envelope {
  envelope_id: string;
  type: 'slash_commands' | 'interactive' | 'events_api';
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface SocketAck {
  envelopeId: string;
  payload: unknown;
  at: number;
  /** True when the fake pretended the ack was lost (`dropAcks`). */
  dropped: boolean;
}

export interface Delivery {
  /** The first envelope's id. */
  envelopeId: string;
  /** Resolves with the ack of whichever delivery was acked first (a dropped ack does not count). */
  acked: Promise<SocketAck>;
  sentAt: number;
}

export interface FakeSocketMode {
  appToken: string;
  appId: string;
  /** Connections Slack currently holds open for the app. */
  readonly open: number;
  /** Successful `apps.connections.open` calls. */
  readonly opened: number;
  /** Every envelope sent (redeliveries included), in order. */
  envelopes: Envelope[];
  acks: SocketAck[];
  /** Sends a request to the app (to the newest connection, or the next one to open). */
  deliver(type: Envelope['type'], payload: Record<string, unknown>): Delivery;
  /** The next `count` acks are received and ignored, as if lost on the way: Slack then redelivers. */
  dropAcks(count?: number): void;
  /** Sends `disconnect` with `reason` to every open connection. */
  disconnect(reason?: 'refresh_requested' | 'warning' | 'link_disabled'): void;
  /** Resolves once `n` connections have been opened in all (hello sent). */
  waitForConnections(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface SocketModeServer extends FakeSocketMode {
  /** `apps.connections.open` after the token check: a fresh single-use URL. */
  connectionsOpen(): { ok: true; url: string };
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

export interface SocketModeOptions {
  appToken: string;
  appId: string;
  /** How long Slack waits for an ack before redelivering (Slack: 3 s; tests shorten it). */
  ackTimeoutMs?: number;
  /** Redeliveries before Slack gives up on an envelope. */
  maxRetries?: number;
}

interface Pending {
  envelope: Envelope;
  attempts: number;
  timer?: NodeJS.Timeout;
  resolve(ack: SocketAck): void;
}

export function createSocketMode(origin: () => string, o: SocketModeOptions): SocketModeServer {
  const ackTimeoutMs = o.ackTimeoutMs ?? 3000;
  const maxRetries = o.maxRetries ?? 3;
  const wss = new WebSocketServer({ noServer: true });
  const tickets = new Set<string>();
  const live: WebSocket[] = [];
  const pending = new Map<string, Pending>();
  const waiting: Pending[] = [];
  const envelopes: Envelope[] = [];
  const acks: SocketAck[] = [];
  let opened = 0;
  let dropNext = 0;

  const send = (p: Pending) => {
    const ws = live.at(-1);
    if (!ws) {
      waiting.push(p);
      return;
    }
    pending.set(p.envelope.envelope_id, p);
    envelopes.push(p.envelope);
    ws.send(JSON.stringify(p.envelope));
    p.timer = setTimeout(() => redeliver(p), ackTimeoutMs);
  };

  const redeliver = (p: Pending) => {
    pending.delete(p.envelope.envelope_id);
    if (p.attempts >= maxRetries) return;
    p.attempts++;
    const { envelope_id: _old, ...rest } = p.envelope;
    p.envelope = { ...rest, envelope_id: randomUUID(), retry_attempt: p.attempts, retry_reason: 'timeout' };
    send(p);
  };

  const onMessage = (raw: string) => {
    let msg: { envelope_id?: string; payload?: unknown };
    try {
      msg = JSON.parse(raw);
    } catch {
      return;
    }
    if (!msg.envelope_id) return;
    const dropped = dropNext > 0;
    if (dropped) dropNext--;
    const ack: SocketAck = {
      envelopeId: msg.envelope_id,
      payload: msg.payload ?? null,
      at: Date.now(),
      dropped,
    };
    acks.push(ack);
    const p = pending.get(msg.envelope_id);
    if (!p || dropped) return;
    clearTimeout(p.timer);
    pending.delete(msg.envelope_id);
    p.resolve(ack);
  };

  const server: SocketModeServer = {
    appToken: o.appToken,
    appId: o.appId,
    get open() {
      return live.length;
    },
    get opened() {
      return opened;
    },
    envelopes,
    acks,
    connectionsOpen() {
      const ticket = randomUUID();
      tickets.add(ticket);
      const base = origin().replace(/^http/, 'ws');
      return { ok: true, url: `${base}/link/?ticket=${ticket}&app_id=${o.appId}` };
    },
    handleUpgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://fake');
      const ticket = url.searchParams.get('ticket') ?? '';
      if (url.pathname !== '/link/' || !tickets.delete(ticket)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        live.push(ws);
        opened++;
        ws.on('message', (data) => onMessage(String(data)));
        ws.on('close', () => live.splice(live.indexOf(ws), 1));
        ws.send(
          JSON.stringify({
            type: 'hello',
            num_connections: live.length,
            connection_info: { app_id: o.appId },
            debug_info: { host: 'fake-slack-applink', approximate_connection_time: 18060 },
          }),
        );
        for (const p of waiting.splice(0)) send(p);
      });
    },
    deliver(type, payload) {
      let resolve!: (a: SocketAck) => void;
      const acked = new Promise<SocketAck>((r) => {
        resolve = r;
      });
      const envelope: Envelope = {
        envelope_id: randomUUID(),
        type,
        payload,
        accepts_response_payload: type !== 'events_api',
      };
      send({ envelope, attempts: 0, resolve });
      return { envelopeId: envelope.envelope_id, acked, sentAt: Date.now() };
    },
    dropAcks(count = 1) {
      dropNext += count;
    },
    disconnect(reason = 'refresh_requested') {
      const msg = JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'fake-slack-applink' } });
      for (const ws of live) ws.send(msg);
    },
    async waitForConnections(n, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (opened < n || live.length === 0) {
        if (Date.now() > deadline)
          throw new Error(
            `Socket Mode: ${opened} connection(s) opened, waited for ${n} within ${timeoutMs} ms`,
          );
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async close() {
      for (const p of pending.values()) clearTimeout(p.timer);
      for (const ws of live) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
  return server;
}
