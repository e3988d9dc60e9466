/** A Bolt-compatible logger writing one line per message to stderr, and a silent one for tests. */
import { type Logger, LogLevel } from '@slack/bolt';

const ORDER = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];

export function stderrLogger(level: LogLevel = LogLevel.INFO, name = 'snapgate'): Logger {
  let current = level;
  let prefix = name;
  const write =
    (at: LogLevel) =>
    (...msg: unknown[]) => {
      if (ORDER.indexOf(at) < ORDER.indexOf(current)) return;
      process.stderr.write(`[${at.toUpperCase()}] ${prefix} ${msg.map(String).join(' ')}\n`);
    };
  return {
    debug: write(LogLevel.DEBUG),
    info: write(LogLevel.INFO),
    warn: write(LogLevel.WARN),
    error: write(LogLevel.ERROR),
    setLevel: (l) => {
      current = l;
    },
    getLevel: () => current,
    setName: (n) => {
      prefix = n;
    },
  };
}

/** Drops everything (tests that assert on behaviour, not on log lines). */
export function silentLogger(): Logger {
  const none = () => undefined;
  return {
    debug: none,
    info: none,
    warn: none,
    error: none,
    setLevel: none,
    getLevel: () => LogLevel.ERROR,
    setName: none,
  };
}
