/**
 * planHash = SHA-256 of canonicalJson({ options, steps }): approvals bind to it, so it must not depend on
 * object key order or on the order of the input maps (steps are already in a deterministic order).
 * Hashed step by step so a 146k-step plan never becomes one giant string.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical.ts';
import type { Plan, PlanStep } from './model.ts';

/** Text is handed to the hash in chunks of about this many characters (fewer native calls). */
const CHUNK = 1 << 16;

export function planHash(options: Plan['options'], steps: readonly PlanStep[]): string {
  const hash = createHash('sha256');
  // canonical key order: "options" < "steps"
  let chunk = `{"options":${canonicalJson(options)},"steps":[`;
  for (let i = 0; i < steps.length; i++) {
    chunk += i === 0 ? canonicalJson(steps[i]) : `,${canonicalJson(steps[i])}`;
    if (chunk.length >= CHUNK) {
      hash.update(chunk, 'utf8');
      chunk = '';
    }
  }
  hash.update(`${chunk}]}`, 'utf8');
  return hash.digest('hex');
}
