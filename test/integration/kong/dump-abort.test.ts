/**
 * Issue 18 §4: when one list of a dump fails, the dump stops reading the gateway. Before, the other
 * lists kept paging (and reporting progress) after the dump had already failed, so a failed backup's
 * card was redrawn as running. Real HTTP to kong-sim with latency, a 400 injected mid-dump.
 */
import { afterEach, expect, it } from 'vitest';
import { createKongClient, dumpGateway, KongApiError } from '../../../src/kong/index.ts';
import { type KongSim, startKongSim } from '../../../tools/kong-sim/index.ts';

let sim: KongSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const consumers = Array.from({ length: 6000 }, (_, i) => ({ username: `user-${i}` }));
const services = Array.from({ length: 3000 }, (_, i) => ({ name: `svc-${i}`, host: `h${i}.internal` }));

it('an injected failure mid-dump: no list request and no progress after the dump fails', async () => {
  sim = await startKongSim({ seed: { _format_version: '3.0', consumers, services } });
  const client = createKongClient({ url: sim.url });
  const progress: { at: number; kind: string }[] = [];
  sim.state.faults.latencyMs = 150;
  const dumping = dumpGateway(client, {
    parallelism: 3,
    onProgress: (p) => progress.push({ at: Date.now(), kind: p.kind }),
  });
  const start = sim.state.requests;
  while (sim.state.requests < start + 4) await new Promise((r) => setTimeout(r, 10));
  sim.state.faults.failNext(1, 400);
  const err = await dumping.then(
    () => null,
    (e: unknown) => e,
  );
  const failedAt = Date.now();
  const requestsAtFailure = sim.state.requests;
  expect(err).toBeInstanceOf(KongApiError);
  expect((err as KongApiError).status).toBe(400);
  // what was in flight when it failed has been answered; nothing new may start
  await new Promise((r) => setTimeout(r, 1500));
  expect(sim.state.requests).toBe(requestsAtFailure);
  expect(progress.filter((p) => p.at > failedAt)).toEqual([]);
  // and it had more to read: the dump was cut, not finished
  expect(requestsAtFailure - start).toBeLessThan(6 + 3 + 13);
  client.close();
});
