/**
 * Which unit of work the code runs for — a job (its queue and id) or a Slack request (its id) — so the
 * log lines written for it can name it. The logger (`src/observe/log.ts`) reads `currentLogContext()`.
 *
 * Two carriers, for two costs:
 * - **Slack requests** (`withLogContext`, the bot's request middleware): AsyncLocalStorage, which carries
 *   the fields across awaits however deep the call (the dedup check, the listener, the work after the
 *   ack). On Node 20 it turns on async hooks for the whole process once used — every promise pays them —
 *   which a request or two per minute can afford.
 * - **Jobs** (`withLogFields`, the BullMQ processors): the fields hold for one synchronous call only, and
 *   every job's notifier is wrapped so that each of its calls runs inside them (`jobNotifier`): the lines
 *   a job's use cases write through its notifier, and the worker's own lines about the job, name it. A
 *   restore's apply makes several promises per written entity: with async hooks on, the 146k-entity
 *   apply took ~5 % longer and ~8 % more CPU (session 12), so a worker process never turns them on. A
 *   line written after an await by something that does not go through the job's notifier (the audit
 *   checkpoint announcement, a Slack call's own error from Bolt's logger) does not carry the job's fields.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Notifier } from './notifier.ts';

export type LogContext = Readonly<Record<string, string>>;

const storage = new AsyncLocalStorage<LogContext>();

/** Fields that hold for the synchronous call running now (`withLogFields`); undefined outside any. */
let callFields: LogContext | undefined;

/** Runs `fn` with `fields` added to the current context (inner fields win), across its awaits. */
export function withLogContext<T>(fields: Record<string, string>, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...callFields, ...fields }, fn);
}

/**
 * Runs `fn` with `fields` added to the current context (inner fields win) until it returns: lines
 * written synchronously inside it carry them, lines written after its first await do not. No async hooks.
 */
export function withLogFields<T>(fields: Record<string, string>, fn: () => T): T {
  const outer = callFields;
  callFields = { ...outer, ...fields };
  try {
    return fn();
  } finally {
    callFields = outer;
  }
}

/** The fields of the unit of work running now; empty outside any. */
export function currentLogContext(): LogContext {
  const store = storage.getStore();
  if (callFields === undefined) return store ?? {};
  return store === undefined ? callFields : { ...store, ...callFields };
}

/**
 * `notifier` with each of its calls run inside `fields` (`withLogFields`): a job's view of the shared
 * notifier, so the lines its events become (the console notifier writes them synchronously) name the job.
 */
export function jobNotifier(notifier: Notifier, fields: Record<string, string>): Notifier {
  return new Proxy(notifier, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => withLogFields(fields, () => value.apply(target, args));
    },
  });
}
