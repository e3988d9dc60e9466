/**
 * Client certificates as the API reference describes them, through the SDK: GenerateClientCertificate (201;
 * API Gateway makes the key pair, so every call gives another certificate: a new id and PEM, with a
 * creation and an expiration date), GetClientCertificates (paged), UpdateClientCertificate (`/description`),
 * DeleteClientCertificate (202), and UpdateStage `/clientCertificateId` (CreateStage has no such member),
 * which this simulator refuses for a certificate that does not exist.
 */
import {
  DeleteClientCertificateCommand,
  GenerateClientCertificateCommand,
  GetClientCertificatesCommand,
  UpdateClientCertificateCommand,
} from '@aws-sdk/client-api-gateway';
import { describe, expect, it } from 'vitest';
import { awsError, useSim } from './helpers.ts';

describe('aws-apigateway-sim: client certificates', () => {
  const { client } = useSim();

  it('every GenerateClientCertificate is a new certificate; description patchable; delete is 202', async () => {
    const a = await client().send(new GenerateClientCertificateCommand({ description: 'same words' }));
    const b = await client().send(new GenerateClientCertificateCommand({ description: 'same words' }));
    expect(a.$metadata.httpStatusCode).toBe(201);
    expect(a.clientCertificateId).toMatch(/^[a-z0-9]{10}$/);
    expect(a.pemEncodedCertificate).toMatch(
      /^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----$/,
    );
    expect(b.clientCertificateId).not.toBe(a.clientCertificateId);
    expect(b.pemEncodedCertificate).not.toBe(a.pemEncodedCertificate);
    expect(a.expirationDate!.getTime()).toBeGreaterThan(a.createdDate!.getTime());
    const updated = await client().send(
      new UpdateClientCertificateCommand({
        clientCertificateId: a.clientCertificateId,
        patchOperations: [{ op: 'replace', path: '/description', value: 'other words' }],
      }),
    );
    expect(updated.description).toBe('other words');
    expect((await client().send(new GetClientCertificatesCommand({ limit: 1 }))).items).toHaveLength(1);
    const gone = await client().send(
      new DeleteClientCertificateCommand({ clientCertificateId: b.clientCertificateId }),
    );
    expect(gone.$metadata.httpStatusCode).toBe(202);
    expect(
      await awsError(
        client().send(new DeleteClientCertificateCommand({ clientCertificateId: b.clientCertificateId })),
      ),
    ).toMatchObject({ name: 'NotFoundException', status: 404 });
  });
});
