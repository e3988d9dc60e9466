import { afterEach } from 'vitest';
import { type KongSim, type KongSimOptions, startKongSim } from '../../tools/kong-sim/index.ts';

/** Starts simulators on random ports and closes them after each test. */

const running: KongSim[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

export async function sim(opts: KongSimOptions = {}): Promise<KongSim & { call: Call }> {
  const s = await startKongSim({ port: 0, ...opts });
  running.push(s);
  const call: Call = async (method, path, body, headers = {}) => {
    const res = await fetch(s.url + path, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
  return Object.assign(s, { call });
}

export interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON
  body: any;
  headers: Headers;
}

export type Call = (
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<Reply>;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A syntactically valid PEM (the simulator checks PEM shape, not the key pair). */
export function pem(kind: 'CERTIFICATE' | 'PRIVATE KEY', seed: string): string {
  const body = Buffer.from(`kong-sim test ${kind} ${seed}`.repeat(4)).toString('base64');
  return `-----BEGIN ${kind}-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END ${kind}-----\n`;
}
