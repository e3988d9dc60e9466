/**
 * The diff card: what a restore from the backup would do to the live gateway, as counts per section
 * and operation, then the first changes with deletes marked ⚠. Field values are not shown here (only
 * field names); the full diff, secrets masked, goes to the thread as a file.
 */

import type { Backup } from '../../app/ports/records.ts';
import { isEntityKind, isKongKind, KIND_NOUN, type OnlyEntry, type Plan } from '../../core/index.ts';
import { context, escapeMrkdwn, section } from '../blocks/index.ts';
import { code, formatAge, plural } from './format.ts';
import { listMessage } from './lines.ts';
import { colouredCard, type SlackMessage } from './message.ts';
import { type BackupReadFrom, readFromLines } from './read-from.ts';

export const FIRST_CHANGES = 25;
const OP_MARK = {
  create: ':heavy_plus_sign:',
  update: ':pencil2:',
  delete: ':warning: :wastebasket:',
} as const;
const GREY = '#9e9e9e';
const AMBER = '#ecb22e';
const BLUE = '#1d9bd1';
const RED = '#e01e5a';

export interface DiffCardInput {
  connection: string;
  /** the backup compared against; `createdAt` is null when its record is gone */
  backup: Pick<Backup, 'id'> & { createdAt: Date | null };
  only?: readonly OnlyEntry[];
  requestedBy: string;
  now: Date;
  /** which copy of the backup was read (shown when it was not a trouble-free primary) */
  readFrom?: BackupReadFrom;
}

function title(d: DiffCardInput): string {
  const scope = d.only?.length ? ` (sections: ${d.only.map(code).join(', ')})` : '';
  const taken = d.backup.createdAt ? ` taken ${formatAge(d.backup.createdAt, d.now)}` : '';
  return `live ${code(d.connection)} vs backup ${code(d.backup.id)}${taken}${scope}`;
}

/** The backup was read from a copy other than the primary, or some copies had problems: one line each. */
function copyNote(d: DiffCardInput): string {
  return readFromLines(d.readFrom)
    .map((l) => `\n${l}`)
    .join('');
}

export function diffPendingCard(d: DiffCardInput): SlackMessage {
  return colouredCard(`Diff of ${d.connection}: computing`, GREY, [
    section(`:mag: *Computing diff* — ${title(d)}`),
    context([`Requested by <@${d.requestedBy}>. Reading the backup and the live gateway…`]),
  ]);
}

export function diffFailedCard(d: DiffCardInput, advice: string, reason: string): SlackMessage {
  return colouredCard(`Diff of ${d.connection} failed`, RED, [
    section(`:x: *Diff failed* — ${title(d)}\n${advice}`),
    section(`*Reason*\n\`\`\`${reason.replace(/```/g, "'''")}\`\`\``),
  ]);
}

export function sectionCountLines(plan: Plan): string[] {
  return Object.entries(plan.perSection)
    .filter(([, c]) => c && c.create + c.update + c.delete > 0)
    .map(([s, c]) => {
      const parts = [`+${c!.create} create`, `~${c!.update} update`, `−${c!.delete} delete`];
      return `• ${code(s)}: ${parts.join(', ')}${c!.delete > 0 ? ' :warning:' : ''}`;
    });
}

/**
 * One entity of a kind reads singular: "delete consumer rogue", "create route orders" (kinds are plurals);
 * other gateways' kinds by their own noun ("create REST API petstore", "update method response …").
 */
export function oneOf(kind: string): string {
  if (isEntityKind(kind) && !isKongKind(kind)) return KIND_NOUN[kind];
  return kind.replace(/_/g, ' ').replace(/s$/, '');
}

export function changeLine(c: Plan['changes'][number]): string {
  const fields =
    c.op === 'update' && c.fields?.length
      ? ` (${c.fields
          .map((f) => code(f.path))
          .slice(0, 5)
          .join(', ')}${c.fields.length > 5 ? ', …' : ''})`
      : '';
  return `${OP_MARK[c.op]} ${c.op} ${escapeMrkdwn(oneOf(c.kind))} ${escapeMrkdwn(c.name)}${fields}`;
}

export function diffResultCard(d: DiffCardInput, plan: Plan): SlackMessage {
  const { create, update, delete: del } = plan.summary;
  const total = create + update + del;
  if (total === 0) {
    return colouredCard(`No differences on ${d.connection}`, BLUE, [
      section(`:white_check_mark: *No differences* — ${title(d)}${copyNote(d)}`),
      context(['A restore from this backup would change nothing.']),
    ]);
  }
  const head = [
    section(
      `:mag: *Diff* — ${title(d)}\nA restore would make ${plural(total, 'change')}: ` +
        `${create} create, ${update} update, ${del} delete${del > 0 ? ' :warning:' : ''}.${copyNote(d)}`,
    ),
    section(sectionCountLines(plan).join('\n')),
  ];
  const lines = plan.changes.slice(0, FIRST_CHANGES).map(changeLine);
  if (plan.changes.length > FIRST_CHANGES)
    lines.push(`…and ${plan.changes.length - FIRST_CHANGES} more in the file below.`);
  const notes: string[] = [];
  const hashed = plan.warnings.filter((w) => w.code === 'hashed-secret');
  if (hashed.length)
    notes.push(
      `:information_source: ${plural(hashed.length, 'hashed secret')} cannot be restored as stored (Kong keeps only a hash).`,
    );
  const reimported = plan.warnings.filter((w) => w.code === 'reimport');
  if (reimported.length)
    notes.push(
      `:arrows_counterclockwise: ${plural(reimported.length, 'change')} API Gateway cannot make in place will be restored through PutRestApi overwrite: ${escapeMrkdwn(reimported[0]!.message)}`,
    );
  const stuck = plan.warnings.filter((w) => w.code === 'not-updatable');
  if (stuck.length)
    notes.push(
      `:warning: ${plural(stuck.length, 'change')} the gateway cannot make in place would fail: ${escapeMrkdwn(stuck[0]!.message)}`,
    );
  if (plan.refusals.length)
    notes.push(
      `:no_entry: ${plural(plan.refusals.length, 'problem')} would stop a restore: ${escapeMrkdwn(plan.refusals[0]!.message)}`,
    );
  const foot = [context([...notes, 'Full diff (secrets masked) in this thread.'])];
  const text = `Diff of ${d.connection}: ${total} changes`;
  return colouredCard(text, del > 0 ? AMBER : BLUE, listMessage(head, ['*First changes*', ...lines], foot));
}
