/**
 * The top-level card of one restore request: status (emoji, label, colour from RESTORE_STATUS), the
 * connection and its environment, the backup (id, age at request time, type, who took it), requester and
 * reason, then — once planned — counts per section and operation, the first changes with deletes marked
 * ⚠, hashed secrets that cannot be restored, refusals, when the request expires, and the buttons.
 *
 * Buttons carry only the request id. The actions block's `block_id` names the plan hash the card shows,
 * so a click on a card that showed an older plan is recognised and refused ("plan changed").
 */

import type { Backup } from '../../app/ports/records.ts';
import type { Plan } from '../../core/index.ts';
import { RESTORE_STATUS, type RestoreStatus } from '../../core/status.ts';
import {
  actions,
  type Block,
  button,
  confirmDialog,
  context,
  escapeMrkdwn,
  fieldsSection,
  section,
} from '../blocks/index.ts';
import { changeLine, oneOf, sectionCountLines } from './diff-card.ts';
import { code, formatDuration, plural, slackDate, userMention } from './format.ts';
import { listMessage } from './lines.ts';
import { colouredCard, type SlackMessage } from './message.ts';
import { type BackupReadFrom, readFromLines } from './read-from.ts';

export type { BackupReadFrom } from './read-from.ts';

export const RESTORE_APPROVE_ACTION = 'restore_approve';
export const RESTORE_REJECT_ACTION = 'restore_reject';
export const RESTORE_CANCEL_ACTION = 'restore_cancel';
export const RESTORE_UNDO_ACTION = 'restore_undo';
export const FIRST_RESTORE_CHANGES = 15;
const PLAN_BLOCK_PREFIX = 'restore_plan_';

/** The block id that binds a card's buttons to the plan it shows. */
export function planBlockId(planHash: string): string {
  return `${PLAN_BLOCK_PREFIX}${planHash}`;
}

/** The plan hash a clicked card showed, from the actions block's id; null for other blocks. */
export function planHashOfBlock(blockId: string | undefined): string | null {
  return blockId?.startsWith(PLAN_BLOCK_PREFIX) ? blockId.slice(PLAN_BLOCK_PREFIX.length) : null;
}

export interface RestoreCardInput {
  id: string | null;
  connection: string;
  environment: string | null;
  status: RestoreStatus;
  requestedBy: string;
  reason: string;
  onlySections: readonly string[] | null;
  noDeletes: boolean;
  breakGlass: boolean;
  /** when the request was made: backup ages are measured from it, so the card needs no clock */
  requestedAt: Date;
  expiresAt: Date | null;
  backupId: string;
  backup: Backup | null;
  /** `--at`: the time asked for and how long before it the picked backup was taken */
  picked?: { at: Date; gapMs: number };
  /** the plan awaiting approval; its buttons are shown only while `status` is awaiting_approval */
  plan?: Plan | null;
  /** one line at the foot: "planning…", "approved by @x — restoring…", "expired — nothing was changed" */
  line?: string;
  /** which copy of the backup the plan read, and what was wrong with the copies before it */
  readFrom?: BackupReadFrom;
}

function backupField(c: RestoreCardInput): string {
  const b = c.backup;
  if (!b) return `*Backup*\n${code(c.backupId)}`;
  // taken = when the dump started, the time `--at` compares (src/jobs/restore/request.ts)
  const taken = b.startedAt ?? b.createdAt;
  const gap = c.requestedAt.getTime() - taken.getTime();
  const age = gap < 60_000 ? 'moments' : formatDuration(gap).replace(/ \d+ s$/, '');
  const copy = readFromLines(c.readFrom)
    .map((l) => `\n${l}`)
    .join('');
  return (
    `*Backup*\n${code(b.id)} · ${escapeMrkdwn(b.type)}\n` +
    `taken ${slackDate(taken)} (${age} before the request) by ${userMention(b.requestedBy)}${copy}`
  );
}

function headFields(c: RestoreCardInput): string[] {
  const env = c.environment ? ` (${escapeMrkdwn(c.environment)})` : '';
  const fields = [
    `*Connection*\n${code(c.connection)}${env}`,
    backupField(c),
    `*Requested by*\n${userMention(c.requestedBy)}`,
    `*Reason*\n${escapeMrkdwn(c.reason)}`,
    `*Sections*\n${c.onlySections?.length ? c.onlySections.map(code).join(', ') : 'all'}${c.noDeletes ? '\n_no deletes_' : ''}`,
    `*Request id*\n${c.id ? code(c.id) : '_assigning…_'}`,
  ];
  if (c.expiresAt && (c.status === 'planned' || c.status === 'awaiting_approval'))
    fields.push(`*Expires*\n${slackDate(c.expiresAt)}`);
  return fields;
}

function planLines(plan: Plan): string[] {
  const lines = ['*First changes*', ...plan.changes.slice(0, FIRST_RESTORE_CHANGES).map(changeLine)];
  if (plan.changes.length > FIRST_RESTORE_CHANGES)
    lines.push(`…and ${plan.changes.length - FIRST_RESTORE_CHANGES} more in the diff file in this thread.`);
  const hashed = plan.warnings.filter((w) => w.code === 'hashed-secret');
  if (hashed.length) {
    lines.push(`*Cannot be restored* (Kong keeps only a hash of these secrets; they keep their live value)`);
    for (const w of hashed.slice(0, 5))
      lines.push(
        `:information_source: ${escapeMrkdwn(w.kind.replace(/_/g, ' '))} ${escapeMrkdwn(w.name)}: ${code(w.field)}`,
      );
    if (hashed.length > 5) lines.push(`…and ${hashed.length - 5} more.`);
  }
  const reimported = plan.warnings.filter((w) => w.code === 'reimport');
  if (reimported.length) {
    // the warning names the API (a stored plan summary keeps a warning's message, not its key)
    const apis = [
      ...new Set(reimported.map((w) => /REST API (\S+) will be restored/.exec(w.message)?.[1] ?? w.name)),
    ];
    lines.push(
      `*Restored through PutRestApi overwrite* (${apis.map((a) => `REST API ${escapeMrkdwn(a)}`).join(', ')}: API Gateway cannot change these in place)`,
    );
    for (const w of reimported.slice(0, 5))
      lines.push(
        `:arrows_counterclockwise: ${escapeMrkdwn(oneOf(w.kind))} ${escapeMrkdwn(w.name)}: ${code(w.field)}`,
      );
    if (reimported.length > 5) lines.push(`…and ${reimported.length - 5} more.`);
  }
  const stuck = plan.warnings.filter((w) => w.code === 'not-updatable');
  if (stuck.length) {
    lines.push(`*Will fail* (the gateway cannot change these in place: delete them on it and restore again)`);
    for (const w of stuck.slice(0, 5))
      lines.push(`:warning: ${escapeMrkdwn(oneOf(w.kind))} ${escapeMrkdwn(w.name)}: ${code(w.field)}`);
    if (stuck.length > 5) lines.push(`…and ${stuck.length - 5} more.`);
  }
  if (plan.refusals.length) {
    lines.push('*Refused* (the restore cannot run as planned)');
    for (const r of plan.refusals.slice(0, 5)) lines.push(`:no_entry: ${escapeMrkdwn(r.message)}`);
  }
  return lines;
}

/** How the plan's size reads at each point of the request's life: a finished card says what was done. */
const PLAN_TENSE: Record<RestoreStatus, string> = {
  planned: 'The restore would make',
  awaiting_approval: 'The restore would make',
  approved: 'The restore is making',
  running: 'The restore is making',
  completed: 'The restore made',
  partially_failed: 'The restore was to make',
  failed: 'The restore was to make',
  rejected: 'The restore would have made',
  cancelled: 'The restore would have made',
  expired: 'The restore would have made',
};

function planHead(plan: Plan, status: RestoreStatus): Block[] {
  const { create, update, delete: del } = plan.summary;
  const total = create + update + del;
  if (total === 0)
    return [section(':white_check_mark: *Nothing to restore*: the live gateway already matches the backup.')];
  return [
    section(
      `${PLAN_TENSE[status]} ${plural(total, 'change')}: ${create} create, ${update} update, ` +
        `${del} delete${del > 0 ? ' :warning:' : ''}.\n${sectionCountLines(plan).join('\n')}`,
    ),
  ];
}

function buttons(c: RestoreCardInput, plan: Plan): Block {
  const id = c.id!;
  const approveText = c.breakGlass
    ? `Break-glass request by <@${c.requestedBy}>: approving restores ${c.connection} now.`
    : `Restore ${c.connection} from backup ${c.backupId}? A pre-restore backup is taken first.`;
  const approve = button({
    text: 'Approve',
    actionId: RESTORE_APPROVE_ACTION,
    value: id,
    style: 'primary',
    confirm: confirmDialog({
      title: 'Approve this restore?',
      text: approveText,
      confirm: 'Approve and restore',
      deny: 'Not yet',
      style: 'primary',
    }),
  });
  // A plan with refusals would break the gateway: it can be rejected or cancelled, never approved.
  return actions(
    [
      ...(plan.refusals.length ? [] : [approve]),
      button({ text: 'Reject', actionId: RESTORE_REJECT_ACTION, value: id, style: 'danger' }),
      button({ text: 'Cancel request', actionId: RESTORE_CANCEL_ACTION, value: id }),
    ],
    planBlockId(plan.planHash),
  );
}

export function restoreCard(c: RestoreCardInput): SlackMessage {
  const info = RESTORE_STATUS.info[c.status];
  const env = c.environment ? ` (${escapeMrkdwn(c.environment)})` : '';
  const glass = c.breakGlass ? ' :rotating_light: *break-glass*' : '';
  const head: Block[] = [
    section(`${info.emoji} *${info.label}* — restore of ${code(c.connection)}${env}${glass}`),
    fieldsSection(headFields(c)),
  ];
  if (c.picked) {
    head.push(
      context([
        `Picked with \`--at\` ${slackDate(c.picked.at)}: the newest completed backup at or before then, ` +
          `taken ${formatDuration(c.picked.gapMs)} before it.`,
      ]),
    );
  }
  const plan = c.plan ?? null;
  const lines: string[] = [];
  if (plan) {
    head.push(...planHead(plan, c.status));
    if (plan.summary.create + plan.summary.update + plan.summary.delete > 0) lines.push(...planLines(plan));
  }
  const foot: Block[] = [context([c.line ?? 'Progress is posted in this thread.'])];
  const empty = plan && plan.changes.length === 0;
  if (plan && !empty && c.status === 'awaiting_approval' && c.id) foot.push(buttons(c, plan));
  return colouredCard(
    `${info.label}: restore of ${c.connection}`,
    info.color,
    listMessage(head, lines, foot),
  );
}
