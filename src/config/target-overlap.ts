/**
 * Two storage targets in one place are one copy, not two: a copy whose directory is the primary's, inside
 * it or around it (or the same bucket with the same or a nested prefix) is written, verified and counted
 * as a second copy while losing that place loses both — `verify` even reported both "ok". So the config
 * refuses any two targets that overlap, with the reason.
 *
 * Directories are compared after resolving (`..`, `.`, trailing slashes) and, where they exist, symlinks
 * (`realpath` of the longest existing ancestor); S3 targets by endpoint (AWS: bucket names are global) and
 * bucket, then prefix: one prefix starting with the other is an overlap (an object listing of the shorter
 * one returns the other's objects).
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import type { ConfigProblem, CopyTargetConfig } from './types.ts';

/** The path with symlinks of its longest existing ancestor resolved (a missing tail is kept as written). */
export function realPlace(path: string, realpath: (p: string) => string = realpathSync.native): string {
  const missing: string[] = [];
  let at = resolve(path);
  for (;;) {
    try {
      return resolve(realpath(at), ...missing);
    } catch {
      const parent = dirname(at);
      if (parent === at) return resolve(path);
      missing.unshift(basename(at));
      at = parent;
    }
  }
}

type Relation = 'same' | 'inside' | 'contains' | null;

function dirRelation(a: string, b: string): Relation {
  if (a === b) return 'same';
  const fromB = relative(b, a);
  if (fromB !== '' && !fromB.startsWith(`..${sep}`) && fromB !== '..' && !fromB.startsWith(sep))
    return 'inside';
  const fromA = relative(a, b);
  if (fromA !== '' && !fromA.startsWith(`..${sep}`) && fromA !== '..' && !fromA.startsWith(sep))
    return 'contains';
  return null;
}

function s3Store(t: Extract<CopyTargetConfig, { type: 's3' }>): string {
  if (!t.endpoint) return `aws/${t.bucket}`;
  const u = new URL(t.endpoint);
  return `${u.protocol}//${u.host.toLowerCase()}${u.pathname.replace(/\/+$/, '')}/${t.bucket}`;
}

function prefixRelation(a: string, b: string): Relation {
  if (a === b) return 'same';
  if (a.startsWith(b)) return 'inside';
  if (b.startsWith(a)) return 'contains';
  return null;
}

function describe(t: CopyTargetConfig): string {
  return t.type === 'directory' ? `"${t.path}"` : `s3 bucket "${t.bucket}" prefix "${t.prefix}"`;
}

const WHY = 'two targets in one place are one copy: losing that place loses both';

export interface OverlapOptions {
  realpath?: (p: string) => string;
}

/** Every pair of targets that share a place, as config problems on the later target's path or prefix. */
export function targetOverlaps(
  primary: CopyTargetConfig,
  copies: readonly CopyTargetConfig[],
  options: OverlapOptions = {},
): ConfigProblem[] {
  const targets = [primary, ...copies];
  const label = (i: number) => (i === 0 ? 'storage.primary' : `storage.copies[${i - 1}]`);
  const places = targets.map((t) =>
    t.type === 'directory' ? realPlace(t.path, options.realpath) : s3Store(t),
  );
  const problems: ConfigProblem[] = [];
  for (let j = 1; j < targets.length; j++) {
    for (let i = 0; i < j; i++) {
      const a = targets[j]!;
      const b = targets[i]!;
      let relation: Relation = null;
      if (a.type === 'directory' && b.type === 'directory') relation = dirRelation(places[j]!, places[i]!);
      if (a.type === 's3' && b.type === 's3' && places[j] === places[i])
        relation = prefixRelation(a.prefix, b.prefix);
      if (!relation) continue;
      const where = {
        same: `is the same place as ${label(i)} (${describe(b)})`,
        inside: `is inside ${label(i)} (${describe(b)})`,
        contains: `contains ${label(i)} (${describe(b)})`,
      }[relation];
      problems.push({
        path: `storage.copies[${j - 1}].${a.type === 's3' ? 'prefix' : 'path'}`,
        message: `${describe(a)} ${where}; ${WHY} — use a separate directory, bucket or prefix`,
      });
      break; // one problem per target is enough to act on
    }
  }
  return problems;
}
