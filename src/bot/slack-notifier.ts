/**
 * The jobs' `Notifier` for Slack. A backup that has a card (`backup.slack`) gets it edited in place as its
 * status moves (throttled by `CardUpdater`; the phase is the card's last line), and one thread reply: the
 * final result or the failure. Calls return at once: the Slack work is queued per channel, so a slow or
 * rate-limited Slack never holds a job. Backups without a card (scheduled ones) are not posted anywhere.
 *
 * Verify results go to the card posted by `/kong verify` when this process posted it, else into the
 * backup's own thread. Prune summaries go to `reportChannel` when one is configured.
 */

import type {
  AlertEvent,
  BackupEvent,
  DiffOutcome,
  DriftEvent,
  Notifier,
  PruneEvent,
  VerifyEvent,
  WeeklyReportEvent,
} from '../app/index.ts';
import type { SlackMessageRef } from '../app/ports/records.ts';
import type { CheckpointEvent } from '../audit/index.ts';
import { BACKUP_STATUS, type BackupStatus } from '../core/status.ts';
import type { RestoreNotice } from './restore-services.ts';
import type { CardUpdater } from './slack/card-updater.ts';
import type { SlackOutbox } from './slack/outbox.ts';
import { RestoreCards } from './slack/restore-cards.ts';
import { alertMessage, alertRepeatMessage, alertResolvedMessage } from './views/alert.ts';
import { checkpointMessage } from './views/audit-checkpoint.ts';
import { backupCard, backupCardInput, backupOutcomeLine } from './views/backup-card.ts';
import { failureMessage, resultMessage } from './views/backup-thread.ts';
import { type DiffCardInput, diffFailedCard, diffResultCard } from './views/diff-card.ts';
import { diffText } from './views/diff-text.ts';
import { driftCard } from './views/drift-card.ts';
import { explainFailure } from './views/failure.ts';
import type { SlackMessage } from './views/message.ts';
import { pruneMessage, verifyResultCard, verifyThreadMessage } from './views/verify-prune.ts';
import { weeklyReportMessage } from './views/weekly-report.ts';

export interface SlackNotifierOptions {
  outbox: SlackOutbox;
  cards: CardUpdater;
  /** where prune summaries go; none = not posted */
  reportChannel?: string;
  /** where signed audit checkpoints are posted; none = not posted */
  auditChannel?: string;
  /** the clock for ages on cards (tests pin it); default the system clock */
  now?: () => Date;
  onError?: (what: string, err: unknown) => void;
}

export class SlackNotifier implements Notifier {
  private readonly finished = new Set<string>();
  private readonly verifyCards = new Map<string, SlackMessageRef>();
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Restore cards and threads (slack/restore-cards.ts); the bot's handlers tell it about new requests. */
  readonly restores: RestoreCards;

  constructor(private readonly options: SlackNotifierOptions) {
    this.restores = new RestoreCards({
      outbox: options.outbox,
      cards: options.cards,
      track: (p, what) => this.track(p, what),
      reply: (ref, message, broadcast) => this.reply(ref, message, broadcast),
    });
  }

  /** A restore request moved (the jobs' `Notifier.restoreChanged`): its card and thread follow. */
  restoreChanged(event: RestoreNotice): void {
    this.restores.changed(event);
  }

  backupChanged({ backup, phase, message }: BackupEvent): void {
    const ref = backup.slack;
    if (!ref) return;
    const terminal = BACKUP_STATUS.isTerminal(backup.status);
    // Progress moves the card's line only; the thread gets the result (one reply per backup).
    const line = terminal
      ? backupOutcomeLine(backup)
      : message
        ? `${phase ?? backup.status}: ${message}`
        : phase;
    this.options.cards.update(ref, backupCard(backupCardInput(backup, line)), backupCardRank(backup.status), {
      final: terminal,
    });
    if (terminal) {
      if (this.finished.has(backup.id)) return; // a repeated final event posts its result once
      this.finished.add(backup.id);
      this.reply(ref, backup.status === 'completed' ? resultMessage(backup) : failureMessage(backup));
    }
  }

  /** Remembers the card `/kong verify` posted, so the result edits it. */
  verifyRequested(backupId: string, ref: SlackMessageRef): void {
    this.verifyCards.set(backupId, ref);
  }

  verifyFinished(event: VerifyEvent): void {
    const card = this.verifyCards.get(event.backup.id);
    if (card) {
      this.verifyCards.delete(event.backup.id);
      this.options.cards.update(card, verifyResultCard(event));
      return;
    }
    if (event.backup.slack) this.reply(event.backup.slack, verifyThreadMessage(event));
  }

  /**
   * A queued diff finished: its card shows the counts and first changes (or the failure with advice by
   * its code), and the full diff, secrets masked, is uploaded into the card's thread.
   */
  diffFinished(outcome: DiffOutcome): void {
    const { work } = outcome;
    const ref = work.slack;
    if (!ref) return;
    const now = this.options.now?.() ?? new Date();
    const input: DiffCardInput = {
      connection: work.connection,
      backup: outcome.backup ?? { id: work.backupId, createdAt: null },
      requestedBy: work.requestedBy,
      now,
      ...(work.only ? { only: work.only } : {}),
    };
    if (!outcome.ok) {
      const { advice, reason } = explainFailure({
        code: outcome.failure.code,
        reason: outcome.failure.reason,
      });
      this.options.cards.update(ref, diffFailedCard(input, advice, reason));
      return;
    }
    const { plan, backup, readFrom } = outcome;
    this.options.cards.update(ref, diffResultCard({ ...input, readFrom }, plan));
    const header = [
      `snapgate diff: live gateway ${work.connection} -> backup ${backup.id}`,
      `backup taken ${backup.createdAt.toISOString()}; diff computed ${now.toISOString()}`,
      `read from copy ${readFrom.target} (${readFrom.location})${readFrom.problems.length ? `; ${readFrom.problems.join('; ')}` : ''}`,
      `sections: ${work.only?.join(', ') ?? 'all'}; plan hash ${plan.planHash}`,
      'Secret values are masked.',
    ];
    this.track(
      this.options.outbox.run(ref.channel, (c) =>
        c.filesUploadV2({
          channel_id: ref.channel,
          thread_ts: ref.ts,
          content: diffText(header, plan),
          filename: `diff-${work.connection}-${backup.id}.txt`,
          title: `Diff of ${work.connection} against backup ${backup.id}`,
        }),
      ),
      'diff upload',
    );
  }

  /**
   * An alert is posted in the alerts channel and this call waits for it: its ts is the thread repeats
   * and the "resolved" reply go to (kept in the records). Repeats are broadcast to the channel too.
   */
  async alertChanged(event: AlertEvent): Promise<SlackMessageRef | null> {
    if (event.phase === 'suppressed') return null;
    if (event.phase === 'raised') {
      const channel = event.channel;
      if (!channel) return null;
      const posted = await this.options.outbox.run(channel, (c) =>
        c.chat.postMessage({ channel, ...alertMessage(event) }),
      );
      return posted.ts ? { channel, ts: posted.ts } : null;
    }
    if (!event.thread) return null;
    const resolved = event.phase === 'resolved';
    this.reply(event.thread, resolved ? alertResolvedMessage(event) : alertRepeatMessage(event), !resolved);
    return null;
  }

  /** A drift to show (or the answer to `/kong drift`): the card, then the full diff in its thread. */
  async driftChecked(event: DriftEvent): Promise<void> {
    const channel = event.channel;
    if (!event.post || !channel) return;
    const posted = await this.options.outbox.run(channel, (c) =>
      c.chat.postMessage({ channel, ...driftCard(event) }),
    );
    const o = event.outcome;
    if (o.status !== 'drift' || !posted.ts) return;
    const header = [
      `snapgate drift: live gateway ${event.connection} -> newest backup ${o.backup.id}`,
      `backup taken ${o.backup.createdAt.toISOString()}; checked ${event.at.toISOString()}`,
      `a restore of the backup would make these changes; plan hash ${o.plan.planHash}`,
      'Secret values are masked.',
    ];
    this.track(
      this.options.outbox.run(channel, (c) =>
        c.filesUploadV2({
          channel_id: channel,
          thread_ts: posted.ts!,
          content: diffText(header, o.plan),
          filename: `drift-${event.connection}-${o.backup.id}.txt`,
          title: `Drift of ${event.connection} from backup ${o.backup.id}`,
        }),
      ),
      'drift upload',
    );
  }

  pruneFinished(event: PruneEvent): void {
    const channel = this.options.reportChannel;
    if (!channel) return;
    this.track(
      this.options.outbox.run(channel, (c) => c.chat.postMessage({ channel, ...pruneMessage(event) })),
      'prune summary',
    );
  }

  /** The weekly report goes to the channel `report:` names. */
  weeklyReport({ report, channel }: WeeklyReportEvent): void {
    this.track(
      this.options.outbox.run(channel, (c) =>
        c.chat.postMessage({ channel, ...weeklyReportMessage(report) }),
      ),
      'weekly report',
    );
  }

  /** A signed checkpoint (or a refused one) goes to the audit channel: a copy of the head Slack keeps. */
  auditCheckpoint(event: CheckpointEvent): void {
    const channel = this.options.auditChannel;
    if (!channel) return;
    this.track(
      this.options.outbox.run(channel, (c) => c.chat.postMessage({ channel, ...checkpointMessage(event) })),
      'audit checkpoint',
    );
  }

  /**
   * Posts a reply in the card's thread, after everything queued before it for that channel;
   * `broadcast` also shows it in the channel (`reply_broadcast`).
   */
  reply(ref: SlackMessageRef, message: SlackMessage, broadcast = false): void {
    this.track(
      this.options.outbox.run(ref.channel, (c) =>
        c.chat.postMessage(
          broadcast
            ? { channel: ref.channel, thread_ts: ref.ts, reply_broadcast: true, ...message }
            : { channel: ref.channel, thread_ts: ref.ts, ...message },
        ),
      ),
      'thread reply',
    );
  }

  /** Waits until every queued reply and card edit has been sent (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0 || this.options.cards.busy()) {
      await Promise.all([...this.inFlight]);
      await this.options.cards.flush();
      await this.options.outbox.idle();
    }
  }

  private track(p: Promise<unknown>, what: string): void {
    const tracked = p.then(
      () => undefined,
      (err: unknown) => this.options.onError?.(what, err),
    );
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }
}

/** Pending, then running, then an outcome: a backup card never shows an earlier status (card-order.ts). */
export function backupCardRank(status: BackupStatus): number {
  return BACKUP_STATUS.isTerminal(status) ? 2 : status === 'running' ? 1 : 0;
}
