import { Command, InvalidArgumentError } from 'commander';
import { startKongSim } from './server.ts';

/** `npm run kong-sim -- --port 8001 [--seed FILE] [--dbless] [--token T] [--workspace W] ...` */

function number(name: string, min: number, max: number) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max)
      throw new InvalidArgumentError(`${name} must be between ${min} and ${max}`);
    return n;
  };
}

const program = new Command('kong-sim')
  .description('Kong 3.x Admin API simulator')
  .option('--port <n>', 'port on 127.0.0.1 (0 = random)', number('port', 0, 65535), 8001)
  .option('--seed <file>', 'Kong declarative config (YAML/JSON) to start with')
  .option('--dbless', 'DB-less mode: entity writes refused, /config enabled', false)
  .option('--token <token>', 'require Kong-Admin-Token')
  .option('--workspace <name>', 'serve entity paths under /<workspace>/')
  .option('--edition <edition>', 'community or enterprise', 'community')
  .option('--kong-version <v>', 'version reported by GET /', '3.9.3')
  .option('--latency-ms <n>', 'delay added to every request', number('latency-ms', 0, 60000), 0)
  .option('--fail-rate <r>', 'share of requests answered 500', number('fail-rate', 0, 1), 0)
  .option('--drop-rate <r>', 'share of connections dropped', number('drop-rate', 0, 1), 0)
  .option('--rate-limit <n>', 'requests per second before 429', number('rate-limit', 0, 1e9), 0)
  .option('--workspaces <names>', 'Enterprise: default plus these comma-separated workspaces')
  .option('--konnect-token <token>', 'Konnect mode: the bearer token every request must carry')
  .option('--control-planes <names>', 'Konnect mode: comma-separated control-plane names', 'default')
  .parse();

const o = program.opts<{
  port: number;
  seed?: string;
  dbless: boolean;
  token?: string;
  workspace?: string;
  edition: string;
  kongVersion: string;
  latencyMs: number;
  failRate: number;
  dropRate: number;
  rateLimit: number;
  workspaces?: string;
  konnectToken?: string;
  controlPlanes: string;
}>();

if (o.edition !== 'community' && o.edition !== 'enterprise') {
  process.stderr.write('kong-sim: --edition must be community or enterprise\n');
  process.exit(1);
}

const sim = await startKongSim({
  port: o.port,
  dbless: o.dbless,
  edition: o.edition,
  version: o.kongVersion,
  latencyMs: o.latencyMs,
  failRate: o.failRate,
  dropRate: o.dropRate,
  rateLimit: o.rateLimit,
  ...(o.seed && !o.konnectToken ? { seed: o.seed } : {}),
  ...(o.token ? { token: o.token } : {}),
  ...(o.workspace ? { workspace: o.workspace } : {}),
  ...(o.workspaces ? { workspaces: o.workspaces.split(',').filter(Boolean) } : {}),
  ...(o.konnectToken
    ? {
        konnect: {
          token: o.konnectToken,
          controlPlanes: o.controlPlanes
            .split(',')
            .filter(Boolean)
            // `--seed` seeds the first control plane (the others start empty)
            .map((name, i) => ({ name, ...(i === 0 && o.seed ? { seed: o.seed } : {}) })),
        },
      }
    : {}),
}).catch((err: unknown) => {
  process.stderr.write(`kong-sim: ${(err as Error).message}\n`);
  process.exit(1);
});

process.stdout.write(
  `kong-sim ${o.edition} ${o.dbless ? 'DB-less' : 'DB'} listening on ${sim.url}` +
    `${o.workspace ? ` (workspace ${o.workspace})` : ''}` +
    `${o.konnectToken ? ` (Konnect mode, control planes ${[...sim.state.cells.values()].map((c) => `${c.name} ${c.id}`).join(', ')})` : ''}` +
    `${o.workspaces ? ` (workspaces ${[...sim.state.cells.keys()].join(', ')})` : ''}, ${sim.state.store.total()} entities\n`,
);
const stop = () => void sim.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
