/**
 * The request must be signed with Signature Version 4 as the SDK signs it: an `Authorization` header
 * `AWS4-HMAC-SHA256 Credential=<key id>/<yyyymmdd>/<region>/apigateway/aws4_request, SignedHeaders=<h1;h2…>,
 * Signature=<64 hex>` and an `X-Amz-Date` of the same day. Its shape is checked (a missing header is
 * MissingAuthenticationTokenException, a malformed one IncompleteSignatureException, both 403, as AWS
 * answers); the signature itself is not verified (no secret keys are kept here).
 */
import { AwsError } from './errors.ts';

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([A-Za-z0-9]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{8})T\d{6}Z$/;

export interface SignedCaller {
  accessKeyId: string;
  region: string;
}

export function checkSignature(headers: Record<string, string | string[] | undefined>): SignedCaller {
  const auth = headers.authorization;
  if (typeof auth !== 'string' || auth.length === 0) {
    throw new AwsError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
  }
  const m = AUTH.exec(auth);
  if (!m) {
    throw new AwsError(
      403,
      'IncompleteSignatureException',
      `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization=${auth.split(' ')[0]}`,
    );
  }
  const [, accessKeyId = '', day = '', region = '', service = '', signedHeaders = ''] = m;
  if (service !== 'apigateway') {
    throw new AwsError(
      403,
      'InvalidSignatureException',
      `Credential should be scoped to correct service: 'apigateway'.`,
    );
  }
  const amzDate = headers['x-amz-date'];
  const dm = typeof amzDate === 'string' ? AMZ_DATE.exec(amzDate) : null;
  if (!dm)
    throw new AwsError(
      403,
      'IncompleteSignatureException',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  if (dm[1] !== day) {
    throw new AwsError(
      403,
      'InvalidSignatureException',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${day}' != '${dm[1]}'`,
    );
  }
  if (!signedHeaders.split(';').includes('host')) {
    throw new AwsError(
      403,
      'InvalidSignatureException',
      "'Host' must be a 'SignedHeader' in the AWS Authorization.",
    );
  }
  return { accessKeyId, region };
}
