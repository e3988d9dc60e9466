/**
 * An artifact removed from every target (a crashed attempt's files, prune). Checking each copy is the
 * artifact store's `checkCopy` (artifact-store.ts). The primary target is reported as target `primary`.
 */
import { type CopyTarget, PRIMARY_TARGET } from './copy-target.ts';

export { PRIMARY_TARGET };

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
