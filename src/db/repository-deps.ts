/** What every repository needs from outside: the clock and the id source (injected, never global). */
import { randomUUID } from 'node:crypto';

export interface RepositoryDeps {
  now: () => Date;
  newId: () => string;
}

export function defaultRepositoryDeps(overrides: Partial<RepositoryDeps> = {}): RepositoryDeps {
  return { now: () => new Date(), newId: () => randomUUID(), ...overrides };
}

/** A positive page size no larger than `max`; `undefined` gives the default. */
export function clampLimit(limit: number | undefined, fallback = 20, max = 1000): number {
  if (limit === undefined) return fallback;
  if (!Number.isFinite(limit)) return max;
  return Math.min(max, Math.max(1, Math.trunc(limit)));
}
