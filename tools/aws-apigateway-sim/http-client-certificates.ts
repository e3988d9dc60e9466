/**
 * Client certificates (GenerateClientCertificate … DeleteClientCertificate, API reference
 * "ClientCertificate"): account-level, keyed by an id the service assigns; API Gateway generates the key
 * pair and keeps the private key, so a generated certificate is always a new one (another PEM, a year's
 * validity from now). A stage presents one to its backends (`clientCertificateId`, set with UpdateStage:
 * CreateStage has no such member).
 */
import { createHash } from 'node:crypto';
import { badRequest, notFound } from './errors.ts';
import { page } from './pagination.ts';
import type { PatchSchema } from './patch.ts';
import { applyPatch } from './patch.ts';
import { accepted, type Call, created, ok, type Router } from './router.ts';
import type { Json } from './store.ts';

/** UpdateClientCertificate takes `/description`. */
const CLIENT_CERTIFICATE: PatchSchema = { description: 'string' };
const YEAR_S = 365 * 24 * 3600;

/** A PEM-shaped body unique to the certificate (not a parseable certificate: nothing here verifies one). */
function pemFor(id: string): string {
  const body = createHash('sha512').update(`snapgate-sim-certificate-${id}`).digest('base64');
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----`;
}

function certOf(call: Call): Json {
  const c = call.store.clientCertificates.get(call.params.clientCertificateId as string);
  if (!c) throw notFound('Invalid Client Certificate identifier specified');
  return c;
}

export function registerClientCertificates(router: Router): void {
  router
    .add('POST', '/clientcertificates', (call) => {
      const { description, tags } = call.body;
      if (description !== undefined && typeof description !== 'string')
        throw badRequest('description must be a string');
      const id = call.store.ids.id();
      const now = call.store.now();
      const cert: Json = {
        clientCertificateId: id,
        pemEncodedCertificate: pemFor(id),
        createdDate: now,
        expirationDate: now + YEAR_S,
        ...(typeof description === 'string' ? { description } : {}),
        ...(tags ? { tags } : {}),
      };
      call.store.clientCertificates.set(id, cert);
      return created(cert);
    })
    .add('GET', '/clientcertificates', (call) =>
      ok(page([...call.store.clientCertificates.values()], call.query)),
    )
    .add('GET', '/clientcertificates/{clientCertificateId}', (call) => ok(certOf(call)))
    .add('PATCH', '/clientcertificates/{clientCertificateId}', (call) => {
      const next = applyPatch(certOf(call), call.body.patchOperations, CLIENT_CERTIFICATE);
      call.store.clientCertificates.set(next.clientCertificateId as string, next);
      return ok(next);
    })
    .add('DELETE', '/clientcertificates/{clientCertificateId}', (call) => {
      certOf(call);
      call.store.clientCertificates.delete(call.params.clientCertificateId as string);
      return accepted();
    });
}
