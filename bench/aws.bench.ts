/**
 * `npm run bench:aws`: the AWS API Gateway dump of a generated account (50 REST APIs × 200 resources,
 * one GET method with an integration per resource) against the simulator in a child process, next to the
 * raw SDK list calls the dump makes (the same paginated lists, same parallelism, nothing kept) in the same
 * run. Prints one JSON line last. Goal: dumpMs ≤ 1.3 × rawListMs.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import {
  type APIGatewayClient,
  GetApiKeysCommand,
  GetAuthorizersCommand,
  GetBasePathMappingsCommand,
  GetClientCertificatesCommand,
  GetDocumentationPartsCommand,
  GetDocumentationVersionsCommand,
  GetDomainNamesCommand,
  GetGatewayResponsesCommand,
  GetModelsCommand,
  GetRequestValidatorsCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  GetStagesCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  GetVpcLinksCommand,
} from '@aws-sdk/client-api-gateway';
import { apiGatewayClientFor, openAwsGateway } from '../src/aws/index.ts';
import { inPool, listAll, PAGE_LIMIT } from '../src/aws/list.ts';
import { Secret } from '../src/config/index.ts';
import type { AwsApiGatewayConnectionConfig } from '../src/config/types.ts';

const APIS = Number(process.env.BENCH_AWS_APIS ?? 50);
const RESOURCES = Number(process.env.BENCH_AWS_RESOURCES ?? 200);
const PARALLELISM = 4;
const ROUNDS = 3;

async function startSim(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'tools/aws-apigateway-sim/cli.ts',
      '--port',
      '0',
      '--generate',
      `${APIS}x${RESOURCES}`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) return { url: (JSON.parse(line) as { url: string }).url, child };
  throw new Error('the simulator exited before it listened');
}

/** The list calls a dump makes, answered and dropped. */
async function rawLists(client: APIGatewayClient): Promise<number> {
  let items = 0;
  items += (await listAll((position) => client.send(new GetVpcLinksCommand({ position, limit: PAGE_LIMIT }))))
    .length;
  items += (
    await listAll((position) =>
      client.send(new GetClientCertificatesCommand({ position, limit: PAGE_LIMIT })),
    )
  ).length;
  const apis = await listAll((position) =>
    client.send(new GetRestApisCommand({ position, limit: PAGE_LIMIT })),
  );
  items += apis.length;
  await inPool(apis, PARALLELISM, async (a) => {
    const restApiId = a.id as string;
    const lists = await Promise.all([
      listAll((position) =>
        client.send(new GetAuthorizersCommand({ restApiId, position, limit: PAGE_LIMIT })),
      ),
      listAll((position) =>
        client.send(new GetRequestValidatorsCommand({ restApiId, position, limit: PAGE_LIMIT })),
      ),
      listAll((position) => client.send(new GetModelsCommand({ restApiId, position, limit: PAGE_LIMIT }))),
      listAll((position) =>
        client.send(new GetGatewayResponsesCommand({ restApiId, position, limit: PAGE_LIMIT })),
      ),
      listAll((position) =>
        client.send(new GetResourcesCommand({ restApiId, position, limit: PAGE_LIMIT, embed: ['methods'] })),
      ),
      client.send(new GetStagesCommand({ restApiId })).then((r) => r.item ?? []),
      listAll((position) =>
        client.send(new GetDocumentationPartsCommand({ restApiId, position, limit: PAGE_LIMIT })),
      ),
      listAll((position) =>
        client.send(new GetDocumentationVersionsCommand({ restApiId, position, limit: PAGE_LIMIT })),
      ),
    ]);
    for (const l of lists) items += l.length;
  });
  const [keys, plans, domains] = await Promise.all([
    listAll((position) =>
      client.send(new GetApiKeysCommand({ position, limit: PAGE_LIMIT, includeValues: true })),
    ),
    listAll((position) => client.send(new GetUsagePlansCommand({ position, limit: PAGE_LIMIT }))),
    listAll((position) => client.send(new GetDomainNamesCommand({ position, limit: PAGE_LIMIT }))),
  ]);
  items += keys.length + plans.length + domains.length;
  for (const p of plans) {
    items += (
      await listAll((position) =>
        client.send(new GetUsagePlanKeysCommand({ usagePlanId: p.id, position, limit: PAGE_LIMIT })),
      )
    ).length;
  }
  for (const d of domains) {
    items += (
      await listAll((position) =>
        client.send(
          new GetBasePathMappingsCommand({ domainName: d.domainName, position, limit: PAGE_LIMIT }),
        ),
      )
    ).length;
  }
  return items;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: Math.round(performance.now() - t0), value };
}

const { url, child } = await startSim();
const connection: AwsApiGatewayConnectionConfig = {
  name: 'bench',
  type: 'aws-apigateway',
  region: 'eu-west-1',
  endpoint: url,
  profile: null,
  credentials: { accessKeyId: new Secret('AKIDBENCH'), secretAccessKey: new Secret('not-checked') },
  apis: { ids: [], names: [], tags: {} },
  environment: 'bench',
  owner: null,
  tags: [],
  schedules: [],
  retention: { keepPreRestore: '30d' },
  roles: { viewer: [], operator: [], approver: [], admin: [] },
};
try {
  const client = apiGatewayClientFor(connection);
  const gateway = openAwsGateway(connection);
  const raw: number[] = [];
  const dump: number[] = [];
  let entities = 0;
  let listed = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const r = await timed(() => rawLists(client));
    raw.push(r.ms);
    listed = r.value;
    const d = await timed(() => gateway.dump({ parallelism: PARALLELISM }));
    dump.push(d.ms);
    entities = Object.values(d.value.entities).reduce((n, m) => n + Object.keys(m ?? {}).length, 0);
    process.stderr.write(`round ${round + 1}: raw ${r.ms} ms, dump ${d.ms} ms\n`);
  }
  const best = (xs: number[]) => Math.min(...xs);
  client.destroy();
  gateway.close();
  const rawListMs = best(raw);
  const dumpMs = best(dump);
  process.stdout.write(
    `${JSON.stringify({
      bench: 'aws',
      apis: APIS,
      resourcesPerApi: RESOURCES,
      itemsListed: listed,
      entities,
      rounds: ROUNDS,
      rawListMs,
      dumpMs,
      ratio: Math.round((dumpMs / rawListMs) * 100) / 100,
      goal: 1.3,
    })}\n`,
  );
} finally {
  child.kill('SIGTERM');
}
