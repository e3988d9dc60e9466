/**
 * `config check`'s warnings about where the copies are (the file is valid; these are risks): when every
 * target shares one bucket or one host, losing that bucket or host loses every copy, and the 3-2-1 rule's
 * "1 offsite" is not met.
 */
import { targetHost as host } from './target-place.ts';
import type { Config } from './types.ts';

export function storageWarnings(config: Pick<Config, 'storage'>): string[] {
  const targets = [config.storage.primary, ...config.storage.copies];
  if (targets.length < 2) return [];
  const hosts = new Set(targets.map(host));
  if (targets.every((t) => t.type === 'directory')) {
    return [
      'storage: every copy is a directory on this machine; unless one is a mounted remote, losing the machine loses every backup (add a copy of type s3 elsewhere)',
    ];
  }
  if (hosts.size > 1) return [];
  const [only] = hosts;
  const buckets = new Set(targets.map((t) => (t.type === 's3' ? t.bucket : '')));
  if (buckets.size === 1) {
    const [bucket] = buckets;
    return [
      `storage: every copy is in bucket "${bucket}" on ${only}; deleting or losing that bucket (or its account) loses every backup — put a copy in another bucket on another host`,
    ];
  }
  return [
    `storage: every copy is on one host (${only}); an outage or loss of that store loses every backup — put a copy on another host`,
  ];
}
