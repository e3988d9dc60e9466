/**
 * Which unit of work the code runs for — a job (its queue and id) or a Slack request (its id) — so every
 * log line written meanwhile can name it, however deep the call (a use case's notifier line, a retry, a
 * store's warning). The BullMQ processors and the bot's request middleware set it; the logger
 * (`src/observe/log.ts`) reads it. AsyncLocalStorage carries it across awaits, not across queues a
 * task waits in: such a queue binds each task to the context it was queued in.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export type LogContext = Readonly<Record<string, string>>;

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `fields` added to the current context (inner fields win). */
export function withLogContext<T>(fields: Record<string, string>, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...fields }, fn);
}

/** The fields of the unit of work running now; empty outside any. */
export function currentLogContext(): LogContext {
  return storage.getStore() ?? {};
}
