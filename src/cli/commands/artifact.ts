/**
 * `snapgate artifact inspect FILE` (the plaintext header; no key) and
 * `snapgate artifact export FILE --output deck.yaml` (decrypt to a decK file). Export is the
 * disaster-recovery path: with `--key-file` or `--key-env` it needs neither the database nor a config.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { createAuditLog } from '../../audit/index.ts';
import { openRecords } from '../../compose/records.ts';
import { decodeKey } from '../../config/index.ts';
import { toDeckFile } from '../../core/deck/index.ts';
import { printable } from '../../core/printable.ts';
import type { Snapshot } from '../../core/snapshot.ts';
import { ArtifactError, KeyRing, openArtifact, readArtifactHeader } from '../../storage/index.ts';
import { CliError } from '../errors.ts';
import { oneWorkspace } from '../one-workspace.ts';
import { readPrivateFile } from '../private-file.ts';
import { addConfigOption, type ConfigFlag, cliActor, loadCliConfig } from './backup-context.ts';

/** The header, checked field by field (the config's name rules, src/storage/format.ts); refused → exit 1. */
async function header(file: string) {
  try {
    return await readArtifactHeader(file);
  } catch (err) {
    if (err instanceof ArtifactError) throw new CliError(printable(err.message));
    throw err;
  }
}

interface ExportFlags extends ConfigFlag {
  output: string;
  workspace?: string;
  keyFile?: string;
  keyEnv?: string;
  format: string;
}

async function keyFromFlags(flags: ExportFlags, keyId: string): Promise<KeyRing | null> {
  let text: string | undefined;
  let from = '';
  if (flags.keyFile) {
    from = flags.keyFile;
    // refused when group or others may read it, as ssh refuses such a key (src/config/private-file.ts)
    text = await readPrivateFile(flags.keyFile).catch((err: Error) => {
      throw new CliError(err.message);
    });
  } else if (flags.keyEnv) {
    from = `$${flags.keyEnv}`;
    text = process.env[flags.keyEnv];
    if (!text) throw new CliError(`environment variable ${flags.keyEnv} is not set`);
  } else return null;
  const key = decodeKey(text);
  if (!key) throw new CliError(`${from} does not hold a 32-byte key (64 hex characters or base64)`);
  return KeyRing.of([{ id: keyId, key, current: true }]);
}

export function registerArtifact(program: Command): void {
  const artifact = program.command('artifact').description('read backup artifact files directly');
  artifact
    .command('inspect <file>')
    .description('print the plaintext header (no key needed)')
    .action(async (file: string) => {
      const h = await header(file);
      const { key: _envelope, counts, ...rest } = h;
      // every field passed the header rules; printed through printable() all the same, as all outside text
      for (const [k, v] of Object.entries(rest))
        process.stdout.write(`${printable(k).padEnd(16)} ${printable(String(v))}\n`);
      const list = Object.entries(counts)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${printable(k)}=${n}`);
      process.stdout.write(`${'counts'.padEnd(16)} ${list.join(' ') || 'none'}\n`);
    });

  addConfigOption(
    artifact
      .command('export <file>')
      .description('decrypt an artifact to a decK file (works without the database)')
      .requiredOption('-o, --output <file>', 'decK file to write')
      .option('--key-file <file>', "file holding the artifact's key (hex or base64); no config needed")
      .option('--key-env <var>', "environment variable holding the artifact's key; no config needed")
      .option('--format <format>', 'yaml or json', 'yaml')
      .option('--workspace <name>', 'the workspace to export, for a backup of several workspaces'),
  ).action(async (file: string, flags: ExportFlags) => {
    if (flags.format !== 'yaml' && flags.format !== 'json')
      throw new CliError('--format must be yaml or json');
    const h = await header(file);
    const fromFlags = await keyFromFlags(flags, h.keyId);
    const config = fromFlags ? null : await loadCliConfig(flags);
    const ring = fromFlags ?? KeyRing.fromConfig(config!.keys);
    let snapshot: Snapshot;
    try {
      snapshot = (await openArtifact(file, ring)).snapshot;
    } catch (err) {
      if (err instanceof ArtifactError) throw new CliError(printable(err.message));
      throw err;
    }
    snapshot = oneWorkspace(snapshot, flags.workspace, '--workspace');
    await writeFile(flags.output, toDeckFile(snapshot, { format: flags.format }), { mode: 0o600 });
    const total = Object.values(snapshot.meta.counts).reduce((a, n) => a + (n ?? 0), 0);
    process.stdout.write(
      `wrote ${total} entities of backup ${h.backupId} (${h.connection}) to ${flags.output}\n`,
    );
    if (config) {
      // Recorded when a config (and so the records database) is at hand; DR without it is not blocked.
      const records = await openRecords(config.database);
      try {
        await createAuditLog(records.audit).append({
          actor: cliActor(),
          action: 'artifact.exported',
          connection: h.connection,
          targetId: h.backupId,
          outcome: 'ok',
          details: { file, output: flags.output, keyId: h.keyId },
        });
      } finally {
        await records.close();
      }
    }
  });
}
