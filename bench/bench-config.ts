/**
 * The `snapgate.yml` the end-to-end benches run with: one connection, a primary (a directory under `dir`
 * unless `primary` says otherwise) and one directory copy under `dir`, one key from `keyEnv`, SQLite in `dir`, Redis under `prefix`.
 * Returns the config file's path.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const BENCH_REDIS_URL = process.env.SNAPGATE_BENCH_REDIS ?? 'redis://127.0.0.1:6379';

export interface BenchConfig {
  dir: string;
  kongUrl: string;
  prefix: string;
  connection?: string;
  environment?: string;
  /** more lines for the connection (e.g. `roles:`), indented as its own keys. */
  connectionExtra?: string;
  tokenEnv?: string;
  keyEnv?: string;
  /** `storage.primary` as YAML (default: a directory under `dir`) */
  primary?: string;
}

export function writeBenchConfig(o: BenchConfig): string {
  const extra = (o.connectionExtra ?? '')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => `    ${l}\n`)
    .join('');
  const path = join(o.dir, 'snapgate.yml');
  writeFileSync(
    path,
    `connections:
  - name: ${o.connection ?? 'prod'}
    kongUrl: ${o.kongUrl}
    tokenEnv: ${o.tokenEnv ?? 'KONG_TOKEN'}
    environment: ${o.environment ?? 'prod'}
${extra}storage:
  primary: ${o.primary ?? join(o.dir, 'primary')}
  copies:
    - type: directory
      path: ${join(o.dir, 'offsite')}
keys:
  - id: k1
    env: ${o.keyEnv ?? 'SNAPGATE_KEY'}
    current: true
database:
  path: ${join(o.dir, 'snapgate.db')}
redis:
  url: ${BENCH_REDIS_URL}
  prefix: ${o.prefix}
`,
  );
  return path;
}
