/** `snapgate audit list [--connection --actor --action --since --limit]` and `snapgate audit verify`. */

import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { createAuditLog } from '../../audit/index.ts';
import { type CheckpointSource, verifyAuditLog } from '../../compose/audit-checkpoints.ts';
import { openRecords } from '../../compose/records.ts';
import type { Config } from '../../config/index.ts';
import { CliError } from '../errors.ts';
import {
  addConfigOption,
  type ConfigFlag,
  formatTime,
  loadCliConfig,
  parsePositiveInt,
} from './backup-context.ts';

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** An ISO date/time, or a span back from now: `30m`, `24h`, `7d`, `2w`. */
export function parseSince(value: string, now = new Date()): Date {
  const span = /^(\d+)([mhdw])$/.exec(value.trim());
  if (span) return new Date(now.getTime() - Number(span[1]) * UNIT_MS[span[2]!]!);
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) {
    throw new CliError(
      `--since must be an ISO date (2026-11-20T09:00Z) or a span like 30m, 24h, 7d, 2w (got "${value}")`,
    );
  }
  return at;
}

async function withAudit<T>(
  flags: ConfigFlag,
  run: (log: ReturnType<typeof createAuditLog>, config: Config) => Promise<T>,
) {
  const config = await loadCliConfig(flags);
  const records = await openRecords(config.database);
  try {
    return await run(createAuditLog(records.audit), config);
  } finally {
    await records.close();
  }
}

interface ListFlags extends ConfigFlag {
  connection?: string;
  actor?: string;
  action?: string;
  since?: string;
  limit: string;
}

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the hash-chained audit log');
  addConfigOption(audit.command('list').description('events, newest first'))
    .option('--connection <name>', 'only this connection')
    .option('--actor <actor>', 'only this actor (Slack user id, system, cli:<user>)')
    .option('--action <action>', 'an action (backup.completed) or a family (restore.*)')
    .option('--since <when>', 'ISO time, or a span back from now: 30m, 24h, 7d, 2w')
    .option('--limit <n>', 'how many', '50')
    .action(async (flags: ListFlags) => {
      const limit = parsePositiveInt(flags.limit, '--limit');
      const since = flags.since ? parseSince(flags.since) : undefined;
      await withAudit(flags, async (log) => {
        const events = await log.list({
          limit,
          ...(flags.connection ? { connection: flags.connection } : {}),
          ...(flags.actor ? { actor: flags.actor } : {}),
          ...(flags.action ? { action: flags.action } : {}),
          ...(since ? { since } : {}),
        });
        if (events.length === 0) process.stdout.write('no events\n');
        for (const e of events) {
          const details = Object.keys(e.details).length > 0 ? `  ${JSON.stringify(e.details)}` : '';
          process.stdout.write(
            `${String(e.seq).padStart(6)} ${formatTime(e.time)} ${e.actor.padEnd(14)} ${e.action.padEnd(24)} ` +
              `${(e.connection ?? '-').padEnd(12)} ${(e.targetId ?? '-').padEnd(36)} ${e.outcome}${details}\n`,
          );
        }
      });
    });

  addConfigOption(
    audit
      .command('verify')
      .description(
        'recompute the hash chain and check it against the newest signed checkpoint; names emptying, truncation and rewrites',
      ),
  )
    .option(
      '--checkpoint <file>',
      'check against this checkpoint (a published file, or the JSON of the Slack post)',
    )
    .option('--from-store', 'check against the newest checkpoint in the store; none published is a failure')
    .action(async (flags: VerifyFlags) => {
      if (flags.checkpoint && flags.fromStore)
        throw new CliError('give --checkpoint or --from-store, not both');
      let source: CheckpointSource = flags.fromStore ? 'store' : 'auto';
      if (flags.checkpoint) {
        try {
          source = { text: await readFile(flags.checkpoint, 'utf8'), from: flags.checkpoint };
        } catch (err) {
          throw new CliError(
            `cannot read ${flags.checkpoint} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
          );
        }
      }
      await withAudit(flags, async (log, config) => {
        let r: Awaited<ReturnType<typeof verifyAuditLog>>;
        try {
          r = await verifyAuditLog(config, log, source);
        } catch (err) {
          throw new CliError(`audit verify: ${(err as Error).message}`);
        }
        const from = r.from ? ` (checkpoint ${r.from})` : '';
        if (r.ok) {
          process.stdout.write(`${r.message}${from}\n`);
          return;
        }
        throw new CliError(`${r.message}${from}`);
      });
    });
}

interface VerifyFlags extends ConfigFlag {
  checkpoint?: string;
  fromStore?: boolean;
}
