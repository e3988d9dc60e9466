/**
 * Turns a recorded failure into words an on-call engineer can act on: what to check, chosen by the
 * failure's stored code (src/app/failure-advice.ts), then the reason (it names the detail) with any
 * credentials in URLs removed.
 */
import { failureAdvice } from '../../app/failure-advice.ts';
import type { FailureCode } from '../../app/ports/records.ts';

/** Strips `user:password@` from URLs and long token-looking strings, in case a reason quotes one. */
export function scrubReason(reason: string): string {
  return reason
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+(?::[^/\s@]*)?@/gi, '$1')
    .replace(/\b(xox[abposr]-|xapp-)[A-Za-z0-9-]+/g, '$1…');
}

export function explainFailure(failure: { code: FailureCode | null; reason: string | null }): {
  advice: string;
  reason: string;
} {
  return {
    advice: failureAdvice(failure.code),
    reason: scrubReason(failure.reason ?? 'no reason was recorded'),
  };
}
