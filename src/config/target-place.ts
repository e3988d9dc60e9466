/**
 * Where a copy target is, in words safe to show anyone (Slack, the CLI, logs): a directory's path, or an
 * S3 target's `s3://bucket/prefix` and the host of its endpoint. Never credentials: only the fields named
 * here are read.
 */
import type { CopyTargetConfig } from './types.ts';

export interface TargetPlace {
  type: CopyTargetConfig['type'];
  /** the path, or `s3://bucket/prefix` */
  location: string;
  /** the machine the objects live on: `this machine` for a directory, else the endpoint's host */
  host: string;
}

export function targetHost(t: CopyTargetConfig): string {
  if (t.type === 'directory') return 'this machine';
  return t.endpoint ? new URL(t.endpoint).host : `s3.${t.region}.amazonaws.com`;
}

export function targetPlace(t: CopyTargetConfig): TargetPlace {
  const location = t.type === 'directory' ? t.path : `s3://${t.bucket}/${t.prefix}`;
  return { type: t.type, location, host: targetHost(t) };
}
