/**
 * The implementations the port contract suites run against. A second implementation registers itself
 * here — one entry — and the suites in this folder test it unchanged.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Gateway } from '../../src/app/ports/gateway.ts';
import type { RecordDeps, Records } from '../../src/app/ports/records.ts';
import { openGateway } from '../../src/compose/gateways.ts';
import { openRecords } from '../../src/compose/records.ts';
import type { ConnectionConfig } from '../../src/config/index.ts';
import { Secret } from '../../src/config/index.ts';
import { startAwsApiGatewaySim } from '../../tools/aws-apigateway-sim/index.ts';
import { type KongSim, startKongSim } from '../../tools/kong-sim/index.ts';
import { awsConnection } from '../integration/aws/support.ts';
import { privateSchema } from '../support/postgres.ts';

export interface RecordsUnderTest {
  name: string;
  /** fresh, empty, migrated records; `cleanup` closes and removes them */
  open(deps: RecordDeps): Promise<{ records: Records; cleanup(): Promise<void> }>;
}

export const RECORDS_UNDER_TEST: readonly RecordsUnderTest[] = [
  {
    name: 'sqlite',
    async open(deps) {
      const dir = mkdtempSync(join(tmpdir(), 'snapgate-contract-'));
      const records = await openRecords({ path: join(dir, 'snapgate.db') }, deps);
      return {
        records,
        cleanup: async () => {
          await records.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'postgres',
    async open(deps) {
      const pg = await privateSchema('contract');
      const records = await openRecords(pg.database, deps);
      return {
        records,
        cleanup: async () => {
          await records.close();
          await pg.drop();
        },
      };
    },
  },
];

/** A running gateway of one type, empty, with a connection that reaches it (or not). */
export interface GatewayFixture {
  /** the connection the registry opens (`src/compose/gateways.ts`) */
  connection: ConnectionConfig;
  /** the same gateway with a token it refuses */
  wrongToken: ConnectionConfig;
  /** an address nothing listens on */
  unreachable: ConnectionConfig;
  close(): Promise<void>;
}

export interface GatewayUnderTest {
  type: string;
  start(): Promise<GatewayFixture>;
}

function kongConnection(name: string, url: string, token: string): ConnectionConfig {
  return {
    name,
    type: 'kong',
    kongUrl: url,
    token: new Secret(token),
    workspace: null,
    environment: 'test',
    owner: null,
    tags: [],
    tls: null,
    schedules: [],
    retention: { keepPreRestore: '30d' },
    roles: { viewer: [], operator: [], approver: [], admin: [] },
  };
}

export const KONNECT_TOKEN = 'kpat_contract0000000000000000000000000000000000000';

/** A Konnect connection to control plane `controlPlane` at `baseUrl` (kong-sim's Konnect mode). */
export function konnectConnection(
  name: string,
  baseUrl: string,
  token: string,
  controlPlane = 'prod',
): ConnectionConfig {
  return {
    name,
    type: 'konnect',
    baseUrl,
    region: null,
    controlPlane,
    token: new Secret(token),
    environment: 'test',
    owner: null,
    tags: [],
    tls: null,
    schedules: [],
    retention: { keepPreRestore: '30d' },
    roles: { viewer: [], operator: [], approver: [], admin: [] },
  };
}

export const GATEWAYS_UNDER_TEST: readonly GatewayUnderTest[] = [
  {
    type: 'kong',
    async start() {
      const sim: KongSim = await startKongSim({ port: 0, token: 'contract-token' });
      return {
        connection: kongConnection('contract', sim.url, 'contract-token'),
        wrongToken: kongConnection('contract', sim.url, 'not-the-token'),
        unreachable: kongConnection('contract', 'http://127.0.0.1:9', 'contract-token'),
        close: () => sim.close(),
      };
    },
  },
  {
    type: 'konnect',
    async start() {
      const sim: KongSim = await startKongSim({
        port: 0,
        konnect: { token: KONNECT_TOKEN, controlPlanes: [{ name: 'prod' }, { name: 'staging' }] },
      });
      return {
        connection: konnectConnection('contract', sim.url, KONNECT_TOKEN),
        wrongToken: konnectConnection('contract', sim.url, 'kpat_not-the-token'),
        unreachable: konnectConnection('contract', 'http://127.0.0.1:9', KONNECT_TOKEN),
        close: () => sim.close(),
      };
    },
  },
  {
    type: 'aws-apigateway',
    async start() {
      const sim = await startAwsApiGatewaySim();
      // the simulator does not verify signatures: a second one refuses every request as expired credentials
      const refusing = await startAwsApiGatewaySim();
      refusing.state.faults.expiredCredentials = true;
      return {
        connection: awsConnection(sim.url),
        wrongToken: awsConnection(refusing.url),
        unreachable: awsConnection('http://127.0.0.1:9'),
        close: async () => {
          await sim.close();
          await refusing.close();
        },
      };
    },
  },
];

/** Opens through the registry, as the composition root does. */
export function open(connection: ConnectionConfig): Gateway {
  return openGateway(connection);
}
