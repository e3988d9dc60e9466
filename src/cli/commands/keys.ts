/**
 * `snapgate keys rotate`: re-wraps every live artifact's data key (primary and every copy) under the key
 * ring's current key, without re-encrypting the data, and records the new key id and checksums. Artifacts
 * shared by unchanged backups are re-wrapped once and recorded for each backup. A key the ring lacks is
 * named in the error; the run continues with the other artifacts and exits 1. Audited.
 */
import type { Command } from 'commander';
import { liveCompleted } from '../../app/index.ts';
import type { Backup, NewCopy } from '../../app/ports/records.ts';
import type { Runtime as Services } from '../../compose/index.ts';
import { PRIMARY_TARGET, rewrapOnTarget, targetHolding } from '../../storage/index.ts';
import { CliError } from '../errors.ts';
import { addConfigOption, type ConfigFlag, cliActor, withServices } from './backup-context.ts';

/** Re-wraps one copy where it is stored (a remote copy is fetched, re-wrapped and stored back). */
function rewrapLocation(services: Services, copy: { target: string; location: string }) {
  return rewrapOnTarget(targetHolding(copy, services), copy.location, services.keyRing());
}

export async function rotateKeys(services: Services, actor: string) {
  const byArtifact = new Map<string, Backup[]>();
  for (const c of services.config.connections) {
    for (const b of await liveCompleted(services, c.name)) {
      if (!b.artifactName) continue;
      byArtifact.set(b.artifactName, [...(byArtifact.get(b.artifactName) ?? []), b]);
    }
  }
  const current = services.keyRing().current().id;
  let rewrapped = 0;
  const failures: string[] = [];
  for (const [name, backups] of byArtifact) {
    try {
      const copies = await services.repos.backups.listCopies(backups[0]!.id);
      const updated: NewCopy[] = [];
      let primarySha = '';
      let changed = false;
      for (const copy of copies) {
        const r = await rewrapLocation(services, copy);
        changed ||= r.changed;
        updated.push({ target: copy.target, location: copy.location, sha256: r.sha256 });
        if (copy.target === PRIMARY_TARGET) primarySha = r.sha256;
      }
      if (!changed) continue;
      for (const b of backups) {
        await services.repos.backups.recordRewrap(b.id, {
          keyId: current,
          sha256: primarySha,
          copies: updated,
        });
      }
      rewrapped++;
    } catch (err) {
      failures.push(`${name}: ${(err as Error).message}`);
    }
  }
  await services.audit.append({
    actor,
    action: failures.length === 0 ? 'keys.rotated' : 'keys.rotation_failed',
    outcome: failures.length === 0 ? 'ok' : 'failed',
    details: { keyId: current, artifacts: byArtifact.size, rewrapped, failed: failures.length },
  });
  return { current, artifacts: byArtifact.size, rewrapped, failures };
}

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('key-encryption keys');
  addConfigOption(
    keys
      .command('rotate')
      .description("re-wrap every artifact's data key under the current key (data is not re-encrypted)"),
  ).action(async (flags: ConfigFlag) => {
    await withServices(flags, async (services) => {
      const r = await rotateKeys(services, cliActor());
      for (const f of r.failures) process.stderr.write(`snapgate: ${f}\n`);
      process.stdout.write(
        `${r.rewrapped} of ${r.artifacts} artifact(s) re-wrapped under key ${r.current}` +
          (r.artifacts - r.rewrapped - r.failures.length > 0 ? ' (the others already used it)' : '') +
          '\n',
      );
      if (r.failures.length > 0)
        throw new CliError(`${r.failures.length} artifact(s) could not be re-wrapped`);
    });
  });
}
