/**
 * snapgate's logs: one JSON object per line (pino) on stdout, or a short readable line when stdout is a
 * terminal. Lines carry the unit of work they were written for (`src/app/log-context.ts`): `requestId` on
 * every line written for a Slack request, `jobId` and `queue` on a job's notifier lines and the worker's
 * own lines about it — and secrets are removed three ways
 * before it is written: fields named like secrets and secret-looking values (the audit log's guard,
 * `redactSecrets`), and every secret value of the loaded config (Kong tokens, store credentials, the
 * database password, keys) wherever it appears in the line.
 * Level: `SNAPGATE_LOG_LEVEL`, else `LOG_LEVEL` (trace, debug, info, warn, error, fatal, silent); default info.
 * Format: JSON, or readable lines when stdout is a terminal; `SNAPGATE_LOG_FORMAT=json|pretty` decides instead.
 */
import { Writable } from 'node:stream';
// types only: a worker without Slack never loads Bolt
import type { Logger as BoltLogger, LogLevel } from '@slack/bolt';
import { type Logger, type LoggerOptions, pino } from 'pino';
import { currentLogContext } from '../app/log-context.ts';
import { REDACTED_TEXT, redactSecrets, redactSecretText } from '../audit/index.ts';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** The level the environment asks for, or why it cannot be used (then `info`). */
export function logLevelFromEnv(env: Record<string, string | undefined>): {
  level: LogLevelName;
  problem?: string;
} {
  const name = env.SNAPGATE_LOG_LEVEL !== undefined ? 'SNAPGATE_LOG_LEVEL' : 'LOG_LEVEL';
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '') return { level: 'info' };
  if ((LOG_LEVELS as readonly string[]).includes(raw)) return { level: raw as LogLevelName };
  return {
    level: 'info',
    problem: `${name}=${raw} is not a log level (${LOG_LEVELS.join(', ')}); using info`,
  };
}

export interface LogOptions {
  env?: Record<string, string | undefined>;
  /** where lines go; default stdout */
  destination?: NodeJS.WritableStream & { isTTY?: boolean };
  /** readable lines instead of JSON; default: when the destination is a terminal */
  pretty?: boolean;
  /** secret values to remove wherever they appear (the config's: `configSecrets(config)`) */
  secrets?: () => readonly string[];
  /** fields on every line, e.g. `{ process: 'worker' }` */
  base?: Record<string, string>;
}

/** Replaces every known secret value in a serialized line; shorter than 4 characters is no secret worth a scan. */
function scrubber(secrets: () => readonly string[]): (line: string) => string {
  return (line) => {
    let out = line;
    for (const s of secrets()) {
      if (s.length < 4) continue;
      for (const form of new Set([s, JSON.stringify(s).slice(1, -1)]))
        out = out.split(form).join(REDACTED_TEXT);
    }
    return out;
  };
}

export function createLogger(options: LogOptions = {}): Logger {
  const env = options.env ?? process.env;
  const { level, problem } = logLevelFromEnv(env);
  const destination = options.destination ?? process.stdout;
  const format = env.SNAPGATE_LOG_FORMAT?.trim().toLowerCase();
  const pretty =
    options.pretty ?? (format === 'pretty' ? true : format === 'json' ? false : destination.isTTY === true);
  const scrub = scrubber(options.secrets ?? (() => []));
  const config: LoggerOptions = {
    level,
    base: { pid: process.pid, ...options.base },
    timestamp: pino.stdTimeFunctions.isoTime,
    messageKey: 'msg',
    // the job or request this line was written for
    mixin: () => ({ ...currentLogContext() }),
    formatters: {
      level: (label) => ({ level: label }),
      // objects passed to a log call: fields named like secrets, and secret-looking values, removed
      log: (object) => redactSecrets(object) as Record<string, unknown>,
    },
    hooks: {
      // the message and its format arguments, by the same guard
      logMethod(args, method) {
        const cleaned = args.map((a) => (typeof a === 'string' ? redactSecretText(a) : a)) as typeof args;
        method.apply(this, cleaned);
      },
      // last: the whole line, for the config's secret values wherever they ended up
      streamWrite: scrub,
    },
  };
  const logger = pino(config, pretty ? readableLines(destination) : destination);
  if (problem) logger.warn(problem);
  return logger;
}

const LEVEL_TAG: Record<string, string> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO ',
  warn: 'WARN ',
  error: 'ERROR',
  fatal: 'FATAL',
};
const QUIET_FIELDS = new Set(['level', 'time', 'pid', 'msg', 'hostname']);

/** A terminal's line: `07:01:02 INFO  msg  jobId=… queue=…` from pino's JSON line. */
export function readableLine(json: string): string {
  try {
    const o = JSON.parse(json) as Record<string, unknown>;
    const time = typeof o.time === 'string' ? o.time.slice(11, 19) : '';
    const rest = Object.entries(o)
      .filter(([k]) => !QUIET_FIELDS.has(k))
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
    return `${time} ${LEVEL_TAG[String(o.level)] ?? String(o.level)} ${String(o.msg ?? '')}${rest.length ? `  ${rest.join(' ')}` : ''}\n`;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
}

function readableLines(out: NodeJS.WritableStream): Writable {
  let partial = '';
  return new Writable({
    write(chunk: Buffer | string, _enc, done) {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line) out.write(readableLine(line));
      done();
    },
  });
}

/** `(line) => logger.info(line)`: for the places that take a line writer (console notifier, workers). */
export function lineWriter(logger: Logger): (line: string) => void {
  return (line) => logger.info(line);
}

/** Bolt's logger interface over pino (the Slack app's own lines), at our level. */
export function boltLogger(logger: Logger): BoltLogger {
  // Bolt's LogLevel enum values are these strings
  const toBolt: Record<string, string> = {
    trace: 'debug',
    debug: 'debug',
    info: 'info',
    warn: 'warn',
    error: 'error',
    fatal: 'error',
    silent: 'error',
  };
  let child = logger.child({ component: 'slack' });
  const text = (msg: unknown[]) => msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' ');
  return {
    debug: (...msg) => child.debug(text(msg)),
    info: (...msg) => child.info(text(msg)),
    warn: (...msg) => child.warn(text(msg)),
    error: (...msg) => child.error(text(msg)),
    // the level is ours (SNAPGATE_LOG_LEVEL): Bolt and the Web API client set INFO on any logger they are
    // given unless told otherwise, which would hide the debug lines asked for
    setLevel: () => undefined,
    getLevel: () => (toBolt[child.level] ?? 'info') as LogLevel,
    setName: (name) => {
      child = logger.child({ component: name });
    },
  };
}
