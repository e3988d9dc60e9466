/** `snapgate audit list [--connection --actor --action --since --limit]` and `snapgate audit verify`. */
import type { Command } from 'commander';
import { createAuditLog } from '../../audit/index.ts';
import { openRecords } from '../../compose/records.ts';
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

async function withAudit<T>(flags: ConfigFlag, run: (log: ReturnType<typeof createAuditLog>) => Promise<T>) {
  const config = await loadCliConfig(flags);
  const records = await openRecords(config.database);
  try {
    return await run(createAuditLog(records.audit));
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
    audit.command('verify').description('recompute the hash chain; names the first broken row'),
  ).action(async (flags: ConfigFlag) => {
    await withAudit(flags, async (log) => {
      const r = await log.verify();
      if (r.ok) {
        process.stdout.write(
          `ok: ${r.checked} events, head ${r.head ? `#${r.head.seq} ${r.head.hash}` : '(empty)'}\n`,
        );
        return;
      }
      throw new CliError(`audit chain broken at row ${r.firstBroken?.seq}: ${r.firstBroken?.reason}`);
    });
  });
}
