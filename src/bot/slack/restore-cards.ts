/**
 * Restore requests in Slack, driven by the jobs' restore events and by the bot's own clicks (both call
 * `changed`; repeated events are harmless): the card edited in place (throttled), the full redacted diff
 * uploaded into the thread whenever a new plan awaits approval, a thread reply when the pre-restore
 * backup is taken and on a re-plan, break-glass announcements broadcast to the channel, and the final outcome with Undo, once.
 *
 * What the card shows besides the record (environment, the backup, the `--at` pick, the plan) is kept
 * in memory from the request and the plan event; a process that never saw them shows the ids only.
 */

import type { Backup, Restore, SlackMessageRef } from '../../app/ports/records.ts';
import type { Plan } from '../../core/index.ts';
import { RESTORE_STATUS, type RestoreStatus } from '../../core/status.ts';
import type { RestoreNotice } from '../restore-services.ts';
import { diffText } from '../views/diff-text.ts';
import { userMention } from '../views/format.ts';
import type { SlackMessage } from '../views/message.ts';
import {
  type BackupReadFrom,
  FIRST_RESTORE_CHANGES,
  type RestoreCardInput,
  restoreCard,
} from '../views/restore-card.ts';
import {
  breakGlassApprovedMessage,
  breakGlassRequestedMessage,
  preRestoreBackupMessage,
  replannedMessage,
  restoreResultMessage,
} from '../views/restore-thread.ts';
import type { CardUpdater } from './card-updater.ts';
import type { SlackOutbox } from './outbox.ts';

interface Known {
  environment: string | null;
  backup: Backup | null;
  picked?: { at: Date; gapMs: number };
  /** the plan the card shows, trimmed to what it displays */
  plan: Plan | null;
  lastPhase: string | null;
  announced: Set<string>;
  /** who decided, for the card line after approve/reject/cancel */
  decidedBy?: string;
}

export interface RestoreCardsOptions {
  outbox: SlackOutbox;
  cards: CardUpdater;
  track(p: Promise<unknown>, what: string): void;
  reply(ref: SlackMessageRef, message: SlackMessage, broadcast?: boolean): void;
}

/** Enough of a plan to draw the card: a 146k-entity plan is not kept in memory for it. */
function trimmed(plan: Plan): Plan {
  return {
    ...plan,
    steps: [],
    changes: plan.changes.slice(0, FIRST_RESTORE_CHANGES + 1),
    warnings: plan.warnings.slice(0, 6),
    refusals: plan.refusals.slice(0, 6),
  };
}

export class RestoreCards {
  private readonly known = new Map<string, Known>();
  /** requests whose final state was shown: later repeats of it change nothing */
  private readonly done = new Set<string>();

  constructor(private readonly o: RestoreCardsOptions) {}

  /** The bot posted the card of a new request: remember what the card shows besides the record. */
  requested(
    restore: Restore,
    info: { environment: string | null; backup: Backup; picked?: { at: Date; gapMs: number } },
  ): void {
    const k = this.state(restore.id);
    k.environment = info.environment;
    k.backup = info.backup;
    if (info.picked) k.picked = info.picked;
    this.changed({ restore });
    if (restore.breakGlass && restore.slack)
      this.announce(restore, 'requested', breakGlassRequestedMessage(restore));
  }

  /** Remembers who approved, rejected or cancelled, for the card line (the record keeps only approvers). */
  decided(restoreId: string, by: string): void {
    this.state(restoreId).decidedBy = by;
  }

  changed(n: RestoreNotice): void {
    const r = n.restore;
    const ref = r.slack;
    if (!ref || this.done.has(r.id) || n.phase === 'refused') return; // a refused click changes nothing
    const k = this.state(r.id);
    if (n.backup) {
      k.backup = n.backup;
      k.environment = n.backup.environment ?? k.environment;
    }
    if (n.actor && (n.phase === 'approved' || n.phase === 'rejected' || n.phase === 'cancelled'))
      k.decidedBy = n.actor;
    if (n.plan && r.status === 'awaiting_approval') this.newPlan(r, ref, k, n.plan);
    else if (n.plan && !k.plan) k.plan = trimmed(n.plan);
    this.o.cards.update(ref, restoreCard(this.cardInput(r, k, this.line(r, k, n))), restoreCardRank(r));
    if (r.status === 'approved' && r.breakGlass && r.approvedBy)
      this.announce(r, 'approved', breakGlassApprovedMessage(r, r.approvedBy));
    this.threadPhase(r, ref, k, n);
    if (!RESTORE_STATUS.isTerminal(r.status)) return;
    // An empty plan ends `completed` without a pre-restore backup: the card says so, nothing to undo.
    const applied = r.status !== 'completed' || r.preRestoreBackupId !== null;
    if (applied && (r.status === 'completed' || r.status === 'partially_failed' || r.status === 'failed'))
      this.announce(r, 'finished', restoreResultMessage(r, n.result));
    this.known.delete(r.id);
    this.done.add(r.id);
  }

  /**
   * Phases move the card's line; the thread gets one of them: the pre-restore backup, the point Undo
   * returns to. (A run stopped by drift before it started posts only the re-plan, not a "started".)
   */
  private threadPhase(r: Restore, ref: SlackMessageRef, k: Known, n: RestoreNotice): void {
    const pre = n.preRestoreBackupId ?? r.preRestoreBackupId;
    if (n.phase !== 'pre_restore_backup' || !pre || k.lastPhase === n.phase) return;
    k.lastPhase = n.phase;
    this.o.reply(ref, preRestoreBackupMessage(r, pre));
  }

  private newPlan(r: Restore, ref: SlackMessageRef, k: Known, plan: Plan): void {
    if (k.plan?.planHash === plan.planHash && k.announced.has(`plan:${plan.planHash}`)) return;
    const replanned = k.plan !== null && k.plan.planHash !== plan.planHash;
    k.plan = trimmed(plan);
    k.announced.add(`plan:${plan.planHash}`);
    if (replanned) {
      k.decidedBy = undefined;
      k.lastPhase = null;
      k.announced.delete('approved');
    }
    if (plan.changes.length === 0) return;
    const header = [
      `snapgate restore request ${r.id}: live gateway ${r.connection} -> backup ${r.backupId}`,
      `requested by ${r.requestedBy}; reason: ${r.reason}`,
      `sections: ${r.onlySections?.join(', ') ?? 'all'}${r.noDeletes ? '; no deletes' : ''}; plan hash ${plan.planHash}`,
      'Secret values are masked.',
    ];
    this.o.track(
      this.o.outbox.run(ref.channel, (c) =>
        c.filesUploadV2({
          channel_id: ref.channel,
          thread_ts: ref.ts,
          content: diffText(header, plan),
          filename: `restore-${r.connection}-${r.id}-${plan.planHash.slice(0, 8)}.txt`,
          title: `Restore plan for ${r.connection} (request ${r.id})`,
        }),
      ),
      'diff upload',
    );
    if (replanned) this.o.reply(ref, replannedMessage(r));
  }

  private line(r: Restore, k: Known, n: RestoreNotice): string {
    const by = k.decidedBy ?? r.approvedBy;
    const who = by ? ` by ${userMention(by)}` : '';
    switch (r.status) {
      case 'planned':
        return ':hourglass_flowing_sand: Planning… verifying the backup and reading the live gateway.';
      case 'awaiting_approval':
        return r.breakGlass
          ? 'Waiting for approval. Break-glass: the requester may approve it themselves.'
          : 'Waiting for an approver other than the requester. Only the requester can cancel.';
      case 'approved':
        return `Approved${who} — restoring…`;
      case 'running': {
        const p = n.progress ? ` (${n.progress.done}/${n.progress.total} steps)` : '';
        const what = n.phase
          ? `${n.phase.replace(/_/g, ' ')}${n.message ? `: ${n.message}` : ''}`
          : 'restoring';
        return `Approved${who} — ${what}${p}`;
      }
      case 'completed':
        return r.preRestoreBackupId === null
          ? 'Nothing to restore — the live gateway already matches the backup.'
          : `Completed; approved${who}. Outcome in this thread.`;
      case 'partially_failed':
      case 'failed':
        return `Approved${who}; outcome and Undo in this thread.`.replace('Approved; ', '');
      case 'expired':
        return 'Expired — nothing was changed.';
      case 'rejected':
        return `Rejected${who} — nothing was changed.`;
      case 'cancelled':
        return `Cancelled${who} — nothing was changed.`;
    }
  }

  private cardInput(r: Restore, k: Known, line: string): RestoreCardInput {
    const input: RestoreCardInput = {
      id: r.id,
      connection: r.connection,
      environment: k.environment,
      status: r.status,
      requestedBy: r.requestedBy,
      reason: r.reason,
      onlySections: r.onlySections,
      noDeletes: r.noDeletes,
      breakGlass: r.breakGlass,
      requestedAt: r.createdAt,
      expiresAt: r.expiresAt,
      backupId: r.backupId,
      backup: k.backup,
      plan: k.plan,
      line,
    };
    if (k.picked) input.picked = k.picked;
    const readFrom = (r.planSummary as { readFrom?: BackupReadFrom } | null)?.readFrom;
    if (readFrom) input.readFrom = readFrom;
    return input;
  }

  /** Posts `message` in the thread once per restore and `key`; break-glass ones are broadcast. */
  private announce(r: Restore, key: string, message: SlackMessage): void {
    const k = this.state(r.id);
    if (k.announced.has(key) || !r.slack) return;
    k.announced.add(key);
    this.o.reply(r.slack, message, key !== 'finished' && r.breakGlass);
  }

  private state(id: string): Known {
    let k = this.known.get(id);
    if (!k) {
      k = { environment: null, backup: null, plan: null, lastPhase: null, announced: new Set() };
      this.known.set(id, k);
    }
    return k;
  }
}

const STAGE: Partial<Record<RestoreStatus, number>> = {
  planned: 0,
  awaiting_approval: 1,
  approved: 2,
  running: 3,
};

/**
 * The order of a restore card's edits (card-order.ts): the record's last change, then its stage for
 * events of one change (approved before running). Not the status alone: a re-plan legitimately goes
 * back to awaiting approval.
 */
export function restoreCardRank(r: Pick<Restore, 'status' | 'updatedAt'>): number {
  return r.updatedAt.getTime() * 8 + (STAGE[r.status] ?? 4);
}
