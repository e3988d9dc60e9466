/**
 * A value that must never be printed: Kong tokens and key-encryption keys. Every way a value is normally
 * turned into text (template strings, JSON.stringify, console.log/util.inspect) yields `[redacted]`;
 * the only way to the value is an explicit `.reveal()`, which is easy to find in review.
 * Modelled on restic's `internal/options/secret_string.go`.
 */
import { inspect } from 'node:util';

export const REDACTED = '[redacted]';

export class Secret<T = string> {
  // A private field, not a property: it is invisible to Object.keys, spread, structuredClone and inspect.
  readonly #value: T;

  constructor(value: T) {
    this.#value = value;
    Object.freeze(this);
  }

  reveal(): T {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }
}
