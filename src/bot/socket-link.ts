/**
 * Socket Mode that stays up. Bolt's SocketModeReceiver is used with the socket client's own reconnecting
 * turned off (`autoReconnectEnabled: false`); `SocketLink` reconnects instead, for as long as it takes:
 * exponential back-off between `minMs` and `maxMs` (half of it jittered, so many instances do not hit
 * `apps.connections.open` together), never shorter than a 429's `Retry-After`, each failed attempt
 * logged and counted.
 *
 * Why not the client's own loop: @slack/socket-mode 3.1 (SocketModeClient.retrieveWSSURL) treats an HTTP
 * error or a network error from `apps.connections.open` as unrecoverable and throws it; on the reconnect
 * path nothing awaits that promise, so Node exits on the unhandled rejection. Before this, the bot's
 * `retryConfig: { retries: 2 }` also replaced the client's own WebClient retry policy
 * (`{ retries: 100, factor: 1.3 }`), so three 500s or 429s were enough. Here the socket's WebClient makes
 * one attempt per call (`retries: 0`, `rejectRateLimitedCalls: true`) and this loop does the waiting.
 */
import { type Logger, SocketModeReceiver, webApi } from '@slack/bolt';

export interface ReconnectPolicy {
  /** First wait after a failed attempt (ms); doubles per consecutive failure. */
  minMs: number;
  /** The longest wait between attempts (ms). */
  maxMs: number;
  /** An attempt that has not seen Slack's `hello` by then is abandoned and counted as failed (ms). */
  helloTimeoutMs?: number;
}

export const DEFAULT_RECONNECT: Required<ReconnectPolicy> = {
  minMs: 1000,
  maxMs: 60_000,
  helloTimeoutMs: 30_000,
};

/** What `/readyz` (and, later, metrics) read. */
export interface SocketLinkStatus {
  connected: boolean;
  /** Failed connection attempts since start (apps.connections.open errors, sockets that did not open). */
  failures: number;
  /** Failed attempts since the last successful connection. */
  consecutiveFailures: number;
  /** Connections made after the first one (refreshes and recoveries). */
  reconnects: number;
  /** The newest failure, as one line without secrets. */
  lastError: string | null;
}

export interface SocketLinkOptions {
  appToken: string;
  /** Web API base URL for `apps.connections.open` (a local stand-in in tests). */
  apiUrl: string | null;
  logger: Logger;
  policy?: ReconnectPolicy;
  random?: () => number;
}

/** Slack's answers that mean the app token itself is refused (UnrecoverableSocketModeStartError). */
const TOKEN_REFUSED = new Set([
  'not_authed',
  'invalid_auth',
  'account_inactive',
  'user_removed_from_team',
  'team_disabled',
  'not_allowed_token_type',
]);

/**
 * A Bolt `Receiver`: Socket Mode through SocketModeReceiver, with `start()` connecting (and reconnecting)
 * through the loop below. Envelope ids reach listeners as `context.envelopeId` (the de-duplication reads it).
 */
export class SocketLink {
  readonly receiver: SocketModeReceiver;
  private readonly policy: Required<ReconnectPolicy>;
  private state: 'idle' | 'connecting' | 'connected' | 'stopped' = 'idle';
  private readonly counts = { failures: 0, consecutive: 0, connections: 0 };
  private lastError: string | null = null;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;

  constructor(private readonly o: SocketLinkOptions) {
    this.policy = { ...DEFAULT_RECONNECT, ...o.policy };
    this.receiver = new SocketModeReceiver({
      appToken: o.appToken,
      logger: o.logger,
      autoReconnectEnabled: false,
      installerOptions: {
        clientOptions: {
          ...(o.apiUrl ? { slackApiUrl: o.apiUrl } : {}),
          retryConfig: { retries: 0 },
          rejectRateLimitedCalls: true,
          // a hung apps.connections.open must not outlive its attempt (a second socket would follow it)
          timeout: this.policy.helloTimeoutMs,
        },
      },
      customPropertiesExtractor: (args) => ({ envelopeId: (args as { envelope_id?: string }).envelope_id }),
    });
    this.receiver.client.on('disconnected', () => this.onDisconnected());
  }

  init(app: Parameters<SocketModeReceiver['init']>[0]): void {
    this.receiver.init(app);
  }

  /**
   * Connects once. A refused app token is thrown (a configuration error to fix, said at start); any other
   * failure is logged and the loop keeps trying in the background while `/readyz` says so.
   */
  async start(): Promise<void> {
    this.state = 'connecting';
    let wait: number;
    try {
      await this.attempt();
      return;
    } catch (err) {
      const refused = platformError(err);
      if (refused && TOKEN_REFUSED.has(refused)) {
        this.state = 'stopped';
        throw new Error(`Slack did not accept the app token (apps.connections.open: ${refused})`);
      }
      if (this.stopped()) return;
      wait = this.failed(err);
    }
    this.loop = this.pause(wait).then(() => this.reconnect());
  }

  async stop(): Promise<void> {
    this.state = 'stopped';
    this.wake?.();
    await this.receiver.client.disconnect();
    await this.loop;
  }

  /** A method, not an inline comparison: `state` changes across awaits, which narrowing does not see. */
  private stopped(): boolean {
    return this.state === 'stopped';
  }

  status(): SocketLinkStatus {
    return {
      connected: this.state === 'connected',
      failures: this.counts.failures,
      consecutiveFailures: this.counts.consecutive,
      reconnects: Math.max(0, this.counts.connections - 1),
      lastError: this.lastError,
    };
  }

  private onDisconnected(): void {
    // Also emitted when an attempt's socket fails to open: the attempt's own rejection handles that.
    if (this.state !== 'connected') return;
    this.state = 'connecting';
    this.o.logger.info('Slack closed the Socket Mode connection; reconnecting');
    this.loop = this.reconnect();
  }

  private async reconnect(): Promise<void> {
    while (this.state === 'connecting') {
      try {
        await this.attempt();
        return;
      } catch (err) {
        if (this.state !== 'connecting') return;
        await this.pause(this.failed(err));
      }
    }
  }

  /** One `apps.connections.open` + WebSocket + `hello`; rejects if no `hello` comes in time. */
  private async attempt(): Promise<void> {
    const client = this.receiver.client;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error(`no hello from Slack within ${this.policy.helloTimeoutMs} ms`));
        void client.disconnect();
      }, this.policy.helloTimeoutMs);
    });
    const started = client.start();
    // after a timeout the abandoned start() still rejects (on disconnect): nothing else awaits it
    started.catch(() => undefined);
    try {
      await Promise.race([started, timeout]);
    } finally {
      clearTimeout(timer);
    }
    if (this.state === 'stopped') return;
    this.state = 'connected';
    this.counts.connections++;
    if (this.counts.consecutive > 0)
      this.o.logger.info(
        `Slack Socket Mode connected again after ${this.counts.consecutive} failed attempt(s)`,
      );
    this.counts.consecutive = 0;
  }

  /** Counts and logs a failed attempt; returns how long to wait before the next one. */
  private failed(err: unknown): number {
    this.counts.failures++;
    this.counts.consecutive++;
    this.lastError = describeFailure(err);
    const base = Math.min(this.policy.maxMs, this.policy.minMs * 2 ** (this.counts.consecutive - 1));
    const jittered = base / 2 + (this.o.random ?? Math.random)() * (base / 2);
    const retryAfterMs = err instanceof webApi.WebAPIRateLimitedError ? err.retryAfter * 1000 : 0;
    const wait = Math.round(Math.max(jittered, retryAfterMs));
    this.o.logger.warn(
      `Slack Socket Mode: connection attempt failed (${this.lastError}); ` +
        `${this.counts.consecutive} in a row, ${this.counts.failures} in all; next attempt in ${wait} ms`,
    );
    return wait;
  }

  private pause(ms: number): Promise<void> {
    if (this.stopped()) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

function platformError(err: unknown): string | null {
  return err instanceof webApi.WebAPIPlatformError ? String(err.data.error) : null;
}

/** One line naming what failed; never headers or bodies (they could carry tokens or URLs with tickets). */
export function describeFailure(err: unknown): string {
  if (err instanceof webApi.WebAPIRateLimitedError)
    return `apps.connections.open rate limited, Retry-After ${err.retryAfter} s`;
  if (err instanceof webApi.WebAPIHTTPError) return `apps.connections.open answered HTTP ${err.statusCode}`;
  if (err instanceof webApi.WebAPIPlatformError) return `apps.connections.open refused: ${err.data.error}`;
  if (err instanceof webApi.WebAPIRequestError)
    return `apps.connections.open unreachable: ${err.original?.message ?? err.message}`;
  if (err === undefined) return 'the WebSocket closed before Slack said hello';
  return err instanceof Error ? err.message : String(err);
}
