/**
 * The key ring: key-encryption keys (KEKs) by id, one of them current. New artifacts wrap their data key
 * under the current key; older keys stay so older artifacts open until `keys rotate` re-wraps them.
 */

import { Secret } from '../config/secret.ts';
import type { KeyConfig } from '../config/types.ts';

export interface RingKey {
  id: string;
  key: Secret<Buffer>;
}

export class KeyRing {
  readonly #keys: Map<string, RingKey>;
  readonly #currentId: string;

  private constructor(keys: RingKey[], currentId: string) {
    this.#keys = new Map(keys.map((k) => [k.id, k]));
    this.#currentId = currentId;
  }

  /** From the loaded config (already validated: 32-byte keys, unique ids, exactly one current). */
  static fromConfig(keys: readonly KeyConfig[]): KeyRing {
    return KeyRing.of(keys.map((k) => ({ id: k.id, key: k.key, current: k.current })));
  }

  static of(entries: readonly { id: string; key: Buffer | Secret<Buffer>; current?: boolean }[]): KeyRing {
    const current = entries.filter((e) => e.current);
    if (current.length !== 1)
      throw new RangeError(`a key ring needs exactly one current key (found ${current.length})`);
    const keys = entries.map((e) => {
      const key = e.key instanceof Secret ? e.key : new Secret(Buffer.from(e.key));
      if (key.reveal().length !== 32) throw new RangeError(`key ${e.id} must be 32 bytes`);
      return { id: e.id, key };
    });
    if (new Set(keys.map((k) => k.id)).size !== keys.length) throw new RangeError('key ids must be unique');
    return new KeyRing(keys, current[0]!.id);
  }

  current(): RingKey {
    return this.#keys.get(this.#currentId)!;
  }

  get(id: string): RingKey | undefined {
    return this.#keys.get(id);
  }

  ids(): string[] {
    return [...this.#keys.keys()];
  }

  toString(): string {
    return `KeyRing(${this.ids().join(', ')}; current ${this.#currentId})`;
  }
}
