/**
 * Restore requests for the terminal: one status line (`describeRestore`), the plan a request awaits
 * approval for with its hash (`formatStoredPlan`, from the redacted summary stored with the plan hash, so
 * it is exactly what an approval binds to), and the whole request for `restores show`.
 */

import type { PlanSummary } from '../app/index.ts';
import type { Backup, Restore } from '../app/ports/records.ts';
import type { Change } from '../core/index.ts';
import { RESTORE_STATUS } from '../core/status.ts';
import { formatTime } from './commands/backup-context.ts';
import { formatChange } from './format-plan.ts';

/** How many hex characters of a plan hash `approve --plan` needs at least (and the CLI prints). */
export const PLAN_PREFIX_CHARS = 12;

export function shortPlan(hash: string): string {
  return hash.slice(0, PLAN_PREFIX_CHARS);
}

export function describeRestore(r: Restore): string {
  const label = RESTORE_STATUS.info[r.status].label;
  const summary = r.planSummary as { result?: { applied?: number; drift?: number | null } } | null;
  const result = summary?.result;
  const detail = result ? ` (${result.applied ?? 0} applied, drift ${result.drift ?? 'not checked'})` : '';
  const pre = r.preRestoreBackupId ? `; pre-restore backup ${r.preRestoreBackupId}` : '';
  const why = r.failureReason ? `: ${r.failureReason}` : '';
  return `restore ${r.id}: ${label}${detail}${why}${pre}`;
}

/** The plan the request holds now, as stored with its hash: counts, first changes, warnings, refusals. */
export function formatStoredPlan(r: Restore): string {
  const s = r.planSummary as Partial<PlanSummary> | null;
  if (!r.planHash || !s?.summary) return `restore ${r.id} has no plan yet (${r.status.replace(/_/g, ' ')})\n`;
  const lines = [`plan ${r.planHash}`];
  for (const change of s.changes ?? []) lines.push(...formatChange(change as unknown as Change));
  const more = (s.counts?.changes ?? 0) - (s.changes?.length ?? 0);
  if (more > 0)
    lines.push(`… and ${more} more change${more === 1 ? '' : 's'} (snapgate diff shows them all)`);
  lines.push(
    'Summary:',
    `  Created: ${s.summary.create}`,
    `  Updated: ${s.summary.update}`,
    `  Deleted: ${s.summary.delete}${s.counts?.skippedDeletes ? ` (${s.counts.skippedDeletes} kept: --no-deletes)` : ''}`,
  );
  const andMore = (shown: number, total: number | undefined, what: string) =>
    (total ?? 0) > shown ? [`  … and ${total! - shown} more ${what} (snapgate diff shows them all)`] : [];
  if (s.warnings?.length) {
    lines.push('Warnings:', ...s.warnings.map((w) => `  - ${w.message}`));
    lines.push(...andMore(s.warnings.length, s.counts?.warnings, 'warnings'));
  }
  if (s.refusals?.length) {
    lines.push('Refused:', ...s.refusals.map((m) => `  - ${m}`));
    lines.push(...andMore(s.refusals.length, s.counts?.refusals, 'refusals'));
  }
  return `${lines.join('\n')}\n`;
}

/** How the approver approves exactly this plan. */
export function approveHint(r: Restore): string {
  return r.status === 'awaiting_approval' && r.planHash
    ? `approve this plan with: snapgate approve ${r.id} --plan ${shortPlan(r.planHash)} --as <approver> --credential-file <their credential>\n`
    : '';
}

/** `restores show <id>`: who asked for what, from which backup, where it stands, and its plan. */
export function formatRestoreRequest(r: Restore, backup: Backup | null): string {
  const taken = backup ? `${backup.type}, taken ${formatTime(backup.startedAt ?? backup.createdAt)}` : 'gone';
  const rows: [string, string][] = [
    ['request', r.id],
    ['status', describeRestore(r).replace(`restore ${r.id}: `, '')],
    ['connection', r.connection],
    ['backup', `${r.backupId} (${taken})`],
    ['requested by', `${r.requestedBy}${r.breakGlass ? ' (break-glass)' : ''}`],
    ['reason', r.reason],
    ['sections', r.onlySections?.length ? r.onlySections.join(', ') : 'all'],
    ['deletes', r.noDeletes ? 'no (--no-deletes)' : 'yes'],
    ['created', formatTime(r.createdAt)],
  ];
  if (r.status === 'planned' || r.status === 'awaiting_approval')
    rows.push(['expires', formatTime(r.expiresAt)]);
  if (r.approvedBy) rows.push(['approved by', r.approvedBy]);
  if (r.finishedAt) rows.push(['finished', formatTime(r.finishedAt)]);
  const head = rows.map(([k, v]) => `${k.padEnd(13)} ${v}\n`).join('');
  return `${head}${formatStoredPlan(r)}${approveHint(r)}`;
}
