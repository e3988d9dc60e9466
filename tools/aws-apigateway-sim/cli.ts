import { Command, InvalidArgumentError } from 'commander';
import { generateAccount, seedPetstore } from './seed.ts';
import { startAwsApiGatewaySim } from './server.ts';

/** `node --import tsx tools/aws-apigateway-sim/cli.ts --port 4567 [--petstore] [--generate 50x200] ...` */

function number(name: string, min: number, max: number) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max)
      throw new InvalidArgumentError(`${name} must be between ${min} and ${max}`);
    return n;
  };
}

function shape(v: string): [number, number] {
  const m = /^(\d+)x(\d+)$/.exec(v);
  if (!m) throw new InvalidArgumentError('--generate takes <apis>x<resources>, e.g. 50x200');
  return [Number(m[1]), Number(m[2])];
}

const program = new Command('aws-apigateway-sim')
  .description('AWS API Gateway (REST APIs) control-plane simulator on 127.0.0.1')
  .option('--port <n>', 'port (0 = random)', number('port', 0, 65535), 4567)
  .option('--petstore', 'start with the petstore seeded', false)
  .option('--generate <apis>x<resources>', 'start with a generated account', shape)
  .option('--latency-ms <n>', 'delay added to every request', number('latency-ms', 0, 60000), 0)
  .option('--fail-rate <r>', 'share of requests answered 503', number('fail-rate', 0, 1), 0)
  .option('--rate-limit <n>', 'requests per second before 429', number('rate-limit', 0, 1e9), 0)
  .parse();

const o = program.opts<{
  port: number;
  petstore: boolean;
  generate?: [number, number];
  latencyMs: number;
  failRate: number;
  rateLimit: number;
}>();

const sim = await startAwsApiGatewaySim({
  port: o.port,
  latencyMs: o.latencyMs,
  failRate: o.failRate,
  rateLimit: o.rateLimit,
});
if (o.petstore) seedPetstore(sim.state);
if (o.generate) generateAccount(sim.state, o.generate[0], o.generate[1]);
// one line a parent process (bench, demo) can wait for
process.stdout.write(`${JSON.stringify({ url: sim.url, counts: sim.state.store.counts() })}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void sim.close().then(() => process.exit(0)));
}
