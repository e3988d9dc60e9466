/**
 * Envelope encryption of the per-artifact data key (DEK). The DEK is wrapped with AES-256-GCM under a
 * key-encryption key (KEK) with its own random nonce and 16-byte tag. The wrap's additional data is the
 * artifact's bound header bytes plus the key id, so a wrapped key cannot be moved to another artifact or
 * relabelled with another key id.
 *
 * A key check value (HMAC-SHA256 of a fixed label under the KEK, 8 bytes) tells "this is not the key the
 * artifact was wrapped with" (ArtifactKeyError) apart from "the wrapped key was tampered with"
 * (ArtifactIntegrityError). HMAC is a PRF, so the check value says nothing about the key.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { RingKey } from './keyring.ts';

export interface KeyEnvelope {
  keyId: string;
  /** base64, 8 bytes */
  keyCheck: string;
  /** base64, 12 bytes */
  nonce: string;
  /** base64, 32 bytes: the DEK encrypted under the KEK */
  wrappedKey: string;
  /** base64, 16 bytes */
  tag: string;
}

const KEY_CHECK_LABEL = 'snapgate key check v1';

export function keyCheckValue(kek: Buffer): string {
  return createHmac('sha256', kek).update(KEY_CHECK_LABEL).digest().subarray(0, 8).toString('base64');
}

function wrapAad(boundHeader: Buffer, keyId: string): Buffer {
  return Buffer.concat([boundHeader, Buffer.from(`\0${keyId}`, 'utf8')]);
}

export function wrapDataKey(dataKey: Buffer, kek: RingKey, boundHeader: Buffer): KeyEnvelope {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek.key.reveal(), nonce, { authTagLength: 16 });
  cipher.setAAD(wrapAad(boundHeader, kek.id));
  const wrapped = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return {
    keyId: kek.id,
    keyCheck: keyCheckValue(kek.key.reveal()),
    nonce: nonce.toString('base64'),
    wrappedKey: wrapped.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

export type UnwrapResult = { ok: true; dataKey: Buffer } | { ok: false; reason: 'wrong-key' | 'tampered' };

export function unwrapDataKey(envelope: KeyEnvelope, kek: RingKey, boundHeader: Buffer): UnwrapResult {
  if (keyCheckValue(kek.key.reveal()) !== envelope.keyCheck) return { ok: false, reason: 'wrong-key' };
  const tag = Buffer.from(envelope.tag, 'base64');
  const nonce = Buffer.from(envelope.nonce, 'base64');
  if (tag.length !== 16 || nonce.length !== 12) return { ok: false, reason: 'tampered' };
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek.key.reveal(), nonce, { authTagLength: 16 });
    decipher.setAAD(wrapAad(boundHeader, kek.id));
    decipher.setAuthTag(tag);
    const dataKey = Buffer.concat([
      decipher.update(Buffer.from(envelope.wrappedKey, 'base64')),
      decipher.final(),
    ]);
    return dataKey.length === 32 ? { ok: true, dataKey } : { ok: false, reason: 'tampered' };
  } catch {
    return { ok: false, reason: 'tampered' };
  }
}
