/**
 * planHash = SHA-256 of canonicalJson({ options, steps }): approvals bind to it, so it must not depend on
 * object key order or on the order of the input maps (steps are already in a deterministic order).
 * Hashed step by step so a 146k-step plan never becomes one giant string.
 */
import { createHash } from 'node:crypto';
import { hashCanonical } from './canonical.ts';
import type { Plan, PlanStep } from './model.ts';

export function planHash(options: Plan['options'], steps: readonly PlanStep[]): string {
  const hash = createHash('sha256');
  // canonical key order: "options" < "steps"
  hash.update('{"options":');
  hashCanonical(hash, options);
  hash.update(',"steps":[');
  for (let i = 0; i < steps.length; i++) {
    if (i > 0) hash.update(',');
    hashCanonical(hash, steps[i]);
  }
  hash.update(']}');
  return hash.digest('hex');
}
