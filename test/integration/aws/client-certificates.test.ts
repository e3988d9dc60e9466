/**
 * Client certificates through the gateway port: a stage's certificate is held by its natural key (the
 * description); its PEM is kept in the backup but never compared or written, because API Gateway makes
 * the key pair. With the API and the certificate deleted, the restore generates a new certificate (a new
 * PEM: backends that pinned the old one must be given it), records the mapping, points the stage at it and
 * converges.
 */
import {
  DeleteClientCertificateCommand,
  DeleteRestApiCommand,
  GenerateClientCertificateCommand,
  GetRestApisCommand,
  GetStageCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AwsApplyResult } from '../../../src/aws/index.ts';
import { openGateway } from '../../../src/compose/gateways.ts';
import { awsKeys, diff, planRestore, type Snapshot } from '../../../src/core/index.ts';
import {
  type AwsApiGatewaySim,
  type PetstoreIds,
  seedPetstore,
  startAwsApiGatewaySim,
} from '../../../tools/aws-apigateway-sim/index.ts';
import { awsError, clientFor } from '../../aws-apigateway-sim/helpers.ts';
import { awsConnection } from './support.ts';

const CERT = 'backend mTLS';

describe('aws-apigateway gateway: client certificates', () => {
  let sim: AwsApiGatewaySim;
  let ids: PetstoreIds;
  let certId: string;
  let pem: string;
  let backup: Snapshot;

  beforeEach(async () => {
    sim = await startAwsApiGatewaySim({ idSeed: 9 });
    ids = seedPetstore(sim.state);
    const client = clientFor(sim);
    const cert = await client.send(new GenerateClientCertificateCommand({ description: CERT }));
    certId = cert.clientCertificateId as string;
    pem = cert.pemEncodedCertificate as string;
    expect(
      await awsError(
        client.send(
          new UpdateStageCommand({
            restApiId: ids.api,
            stageName: 'prod',
            patchOperations: [{ op: 'replace', path: '/clientCertificateId', value: 'nosuchcert' }],
          }),
        ),
      ),
    ).toMatchObject({
      name: 'BadRequestException',
      message: 'Invalid client certificate identifier specified',
    });
    await client.send(
      new UpdateStageCommand({
        restApiId: ids.api,
        stageName: 'prod',
        patchOperations: [{ op: 'replace', path: '/clientCertificateId', value: certId }],
      }),
    );
    client.destroy();
    const gateway = openGateway(awsConnection(sim.url));
    backup = await gateway.dump();
    gateway.close();
  });
  afterEach(() => sim.close());

  it('keys the certificate by description, keeps its PEM aside, and the stage names it by key', () => {
    expect(backup.entities.client_certificates?.[CERT]).toMatchObject({
      id: CERT,
      awsId: certId,
      description: CERT,
      pemEncodedCertificate: pem,
    });
    const prod = backup.entities.stages?.[awsKeys.inApi('petstore', 'prod')];
    expect(prod?.clientCertificate).toBe(CERT);
    expect(prod?.clientCertificateId).toBeUndefined();
  });

  it('a deleted certificate comes back as a new one that the restored stage presents', async () => {
    const client = clientFor(sim);
    await client.send(new DeleteRestApiCommand({ restApiId: ids.api }));
    await client.send(new DeleteClientCertificateCommand({ clientCertificateId: certId }));
    const gateway = openGateway(awsConnection(sim.url));
    try {
      const live = await gateway.dump();
      const plan = planRestore(live, backup);
      expect(plan.refusals).toEqual([]);
      const result = (await gateway.apply(plan, { current: live })) as AwsApplyResult;
      expect(result).toMatchObject({ ok: true });
      const after = await gateway.dump();
      expect(diff(after, backup).changes).toEqual([]);
      const fresh = after.entities.client_certificates?.[CERT];
      expect(fresh?.awsId).not.toBe(certId);
      expect(fresh?.pemEncodedCertificate).not.toBe(pem);
      expect(result.idMapping).toContainEqual({
        kind: 'client_certificates',
        key: CERT,
        from: certId,
        to: fresh?.awsId,
      });
      const api = (await client.send(new GetRestApisCommand({}))).items?.[0]?.id as string;
      const prod = await client.send(new GetStageCommand({ restApiId: api, stageName: 'prod' }));
      expect(prod.clientCertificateId).toBe(fresh?.awsId);
    } finally {
      gateway.close();
      client.destroy();
    }
  });
});
