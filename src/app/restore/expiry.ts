/**
 * Expiry: a request nobody decided on within the approval window ends `expired`. A delayed job per
 * request does it on time; `expireDueRestores` sweeps on every new request and at start-up, so a lost
 * delayed job never leaves a stale request holding the connection.
 */
import type { Restore } from '../ports/records.ts';
import type { Services } from '../services.ts';
import { auditRestore, notifyRestore } from './audit.ts';

async function announce(services: Services, expired: Restore): Promise<void> {
  const message = `nobody approved it before ${expired.expiresAt.toISOString()}`;
  await auditRestore(services, expired, 'restore.expired', {
    details: { expiresAt: expired.expiresAt.toISOString() },
  });
  await notifyRestore(services, { restore: expired, phase: 'expired', message });
}

/** The expiry job: expires the request if it is still undecided and due; null when it moved on. */
export async function expireRestore(services: Services, restoreId: string): Promise<Restore | null> {
  const expired = await services.repos.restores.expire(restoreId);
  if (expired) await announce(services, expired);
  return expired;
}

export async function expireDueRestores(services: Services): Promise<Restore[]> {
  const expired = await services.repos.restores.expireDue();
  for (const r of expired) await announce(services, r);
  return expired;
}

/** When a request planned now stops waiting for its approval (`restores.approvalTimeout`, default 30 min). */
export function approvalExpiresAt(services: Services): Date {
  const timeout = services.config.restores?.approvalTimeoutMs ?? 30 * 60_000;
  return new Date(services.now().getTime() + timeout);
}
