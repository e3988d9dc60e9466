/**
 * Ids as AWS assigns them: REST API, resource, deployment, authorizer, model, request validator, usage plan
 * and API key ids are 10 characters of lowercase letters and digits (`a1b2c3d4e5`); an API key's generated
 * value is 40 letters and digits. Seeded, so a test's ids are stable run to run.
 */

const ALNUM_LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export class IdSource {
  private state: number;
  private readonly used = new Set<string>();

  constructor(seed = 0x5eed) {
    this.state = seed >>> 0 || 1;
  }

  private next(): number {
    // xorshift32: deterministic, fast, good enough for ids
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }

  private draw(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.next() % alphabet.length];
    return out;
  }

  /** A fresh 10-character id, never handed out before by this source. */
  id(): string {
    for (;;) {
      const id = this.draw(ALNUM_LOWER, 10);
      if (!this.used.has(id)) {
        this.used.add(id);
        return id;
      }
    }
  }

  apiKeyValue(): string {
    return this.draw(ALNUM, 40);
  }
}

export const AWS_ID = /^[a-z0-9]{10}$/;
