/**
 * Operations over an artifact on every target: verify each location (naming the one that is bad) and
 * delete everywhere. The primary target is reported as target `primary`.
 */
import { withTargetFile } from './artifact-store.ts';
import { type CopyTarget, PRIMARY_TARGET } from './copy-target.ts';
import type { KeyRing } from './keyring.ts';
import { type VerifyResult, verifyArtifactFile } from './read.ts';

export { PRIMARY_TARGET };

export interface LocationVerifyResult extends VerifyResult {
  target: string;
  location: string;
}

async function verifyOnTarget(
  target: CopyTarget,
  label: string,
  name: string,
  keyRing: KeyRing,
  expectedSha256: string | undefined,
): Promise<LocationVerifyResult> {
  const location = target.location(name);
  if (!target.localPath && !(await target.exists(name)))
    return { target: label, location, ok: false, problems: [`missing: ${location}`] };
  const result = await withTargetFile(target, location, (path) =>
    verifyArtifactFile(path, keyRing, expectedSha256),
  );
  return { target: label, location, ...result };
}

/**
 * Verifies the primary and every copy: present, sha256 (`expected.sha256` for all, or per target in
 * `expected.copies`), decrypts, parses. Problems are prefixed with nothing; `target` names the location.
 */
export async function verifyArtifactCopies(opts: {
  name: string;
  primary: CopyTarget;
  copyTargets: readonly CopyTarget[];
  keyRing: KeyRing;
  expected?: { sha256?: string; copies?: readonly { target: string; sha256: string }[] };
}): Promise<{ ok: boolean; results: LocationVerifyResult[] }> {
  const results = [
    await verifyOnTarget(opts.primary, PRIMARY_TARGET, opts.name, opts.keyRing, opts.expected?.sha256),
  ];
  for (const target of opts.copyTargets) {
    const recorded =
      opts.expected?.copies?.find((c) => c.target === target.id)?.sha256 ?? opts.expected?.sha256;
    results.push(await verifyOnTarget(target, target.id, opts.name, opts.keyRing, recorded));
  }
  return { ok: results.every((r) => r.ok), results };
}

/** Removes the artifact from the primary and every copy target; missing objects are fine. */
export async function deleteArtifact(opts: {
  name: string;
  primary: CopyTarget;
  copyTargets: readonly CopyTarget[];
}): Promise<{ deleted: string[] }> {
  const deleted: string[] = [];
  const targets: [string, CopyTarget][] = [
    [PRIMARY_TARGET, opts.primary],
    ...opts.copyTargets.map((t): [string, CopyTarget] => [t.id, t]),
  ];
  for (const [label, target] of targets) {
    if (await target.exists(opts.name)) {
      await target.delete(opts.name);
      deleted.push(label);
    }
  }
  return { deleted };
}
