/**
 * A snapgate worker as a child process for the crash and start-up race tests:
 *   node --import tsx worker-process.ts <config> worker   → startWorkers with short locks, prints "ready"
 *   node --import tsx worker-process.ts <config> sync <t>  → waits until epoch ms <t>, syncs schedules,
 *                                                           prints the result as JSON, exits
 * The same code path as `snapgate worker`, with lock timings short enough for a test.
 */

import { ConsoleNotifier } from '../../../src/app/index.ts';
import { createServices } from '../../../src/compose/index.ts';
import { loadConfig } from '../../../src/config/index.ts';
import { startWorkers, syncSchedules } from '../../../src/jobs/index.ts';

const [configPath, mode, startAt] = process.argv.slice(2);
const config = await loadConfig({ path: configPath! });
const services = await createServices({
  config,
  notifier: new ConsoleNotifier((line) => process.stderr.write(`${line}\n`)),
  retry: { attempts: 3, backoffMs: 50 },
});

if (mode === 'sync') {
  const wait = Number(startAt) - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const result = await syncSchedules(services);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  await services.close();
} else {
  const running = await startWorkers(services, {
    lockDurationMs: 1500,
    stalledIntervalMs: 500,
    syncSchedules: false,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write('ready\n');
  process.once('SIGTERM', () => {
    void running
      .close(5000)
      .then(() => services.close())
      .then(() => process.exit(0));
  });
}
