/**
 * `snapgate gdpr find <who>` and `snapgate gdpr erase <who> --reason TEXT`: one person's consumer (its id,
 * username or custom_id) in every stored backup, and its erasure from all of them (src/app/gdpr.ts).
 *
 * Exit codes: find — 0 (found or not), 1 when a copy could not be read (the person may be in it);
 * erase — 0 when no copy holds the person any more, 2 when some copy still does (Object Lock until a
 * date, an artifact no record names, a copy that could not be read or removed), 1 on errors.
 */
import type { Command } from 'commander';
import { erasePersonalData, findPersonalData, type PersonalDataReport } from '../../app/index.ts';
import { CliError } from '../errors.ts';
import { addConfigOption, type ConfigFlag, cliActor, withServices } from './backup-context.ts';

const day = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

function printFound(report: PersonalDataReport): void {
  const out = process.stdout;
  for (const h of report.holdings) {
    const backups =
      h.backups.length > 0 ? h.backups.map((b) => `${b.id} [${b.connection}]`).join(', ') : 'no record';
    out.write(`${h.artifactName}  (${backups})\n`);
    for (const c of h.copies) {
      const lock = c.lockedUntil ? `  locked until ${day(c.lockedUntil)}` : '';
      out.write(`    ${c.target}  ${c.location}${lock}\n`);
    }
  }
  for (const u of report.unreadable) out.write(`UNREADABLE ${u.target}  ${u.location}  ${u.problem}\n`);
  out.write(
    `${report.holdings.length} artifact(s) hold this person; ${report.scanned.artifacts} artifact(s), ${report.scanned.copies} copies searched\n`,
  );
}

export function registerGdpr(program: Command): void {
  const gdpr = program
    .command('gdpr')
    .description("find or erase one person's consumer (id, username or custom_id) in every stored backup");

  addConfigOption(
    gdpr.command('find <who>').description('list every backup and copy holding the consumer'),
  ).action(async (who: string, flags: ConfigFlag) => {
    await withServices(flags, async (services) => {
      const report = await findPersonalData(services, who, cliActor());
      printFound(report);
      if (report.unreadable.length > 0) {
        throw new CliError(`${report.unreadable.length} copies could not be read: the person may be in them`);
      }
    });
  });

  addConfigOption(
    gdpr
      .command('erase <who>')
      .description('rewrite every artifact holding the consumer without it and everything scoped to it'),
  )
    .requiredOption('--reason <text>', 'why (kept in the audit log; write no personal data in it)')
    .action(async (who: string, flags: ConfigFlag & { reason: string }) => {
      if (flags.reason.trim() === '') throw new CliError('--reason must say why');
      await withServices(flags, async (services) => {
        const r = await erasePersonalData(services, { query: who, reason: flags.reason, actor: cliActor() });
        const out = process.stdout;
        for (const w of r.rewritten) {
          const removed = Object.entries(w.removed)
            .map(([k, n]) => `${n} ${k}`)
            .join(', ');
          out.write(
            `rewritten ${w.from} → ${w.to} on ${w.copies} copies (${w.backups.join(', ')}): removed ${removed}\n`,
          );
        }
        for (const l of r.leftoversRemoved) out.write(`removed leftover of an earlier erase: ${l}\n`);
        for (const l of r.locked) {
          out.write(
            `LOCKED ${l.target}  ${l.location}  until ${day(l.lockedUntil)}: run gdpr erase again after that date\n`,
          );
        }
        for (const u of r.unrecorded)
          out.write(`NOT RECORDED ${u.target}  ${u.location}: no record names it; not touched\n`);
        for (const u of r.unreadable) out.write(`UNREADABLE ${u.target}  ${u.location}  ${u.problem}\n`);
        for (const n of r.notRemoved) out.write(`NOT REMOVED ${n.target}  ${n.location}  ${n.problem}\n`);
        const left = r.locked.length + r.unrecorded.length + r.unreadable.length + r.notRemoved.length;
        if (r.rewritten.length === 0 && left === 0) out.write('no backup holds this person\n');
        if (left > 0) throw new CliError(`${left} copies may still hold this person (listed above)`, 2);
      });
    });
}
