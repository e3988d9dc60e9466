/**
 * Thread replies under a restore card: decisions, phases, a re-plan asking for approval again, the
 * break-glass announcements (posted with `reply_broadcast`) and the final outcome with an Undo button.
 */
import type { Restore } from '../../app/ports/records.ts';
import { isEntityKind, KIND_NOUN } from '../../core/index.ts';
import {
  actions,
  type Block,
  button,
  confirmDialog,
  context,
  escapeMrkdwn,
  section,
} from '../blocks/index.ts';
import type { FailedRestoreStep, RestoreRunResult } from '../restore-services.ts';
import { explainFailure, scrubReason } from './failure.ts';
import { code, plural, userMention } from './format.ts';
import { listMessage } from './lines.ts';
import type { SlackMessage } from './message.ts';
import { RESTORE_UNDO_ACTION } from './restore-card.ts';

export function restoreNote(text: string): SlackMessage {
  return { text: text.replace(/[*_`]/g, ''), blocks: [context([text])] };
}

export function breakGlassRequestedMessage(r: Restore): SlackMessage {
  const text =
    `:rotating_light: *Break-glass restore requested* by ${userMention(r.requestedBy)} on ${code(r.connection)}: ` +
    `the requester may approve it themselves. Reason: ${escapeMrkdwn(r.reason)}`;
  return { text: `Break-glass restore requested on ${r.connection}`, blocks: [section(text)] };
}

export function breakGlassApprovedMessage(r: Restore, approver: string): SlackMessage {
  const self = approver === r.requestedBy ? ' (their own request, under break-glass)' : '';
  const text = `:rotating_light: *Break-glass restore approved* by ${userMention(approver)}${self}: restoring ${code(r.connection)} from ${code(r.backupId)} now.`;
  return { text: `Break-glass restore of ${r.connection} approved`, blocks: [section(text)] };
}

export function preRestoreBackupMessage(r: Restore, backupId: string): SlackMessage {
  return {
    text: `Pre-restore backup ${backupId} taken: ${r.connection} as it was just before this restore`,
    blocks: [
      context([
        `:floppy_disk: Pre-restore backup ${code(backupId)} taken: ${code(r.connection)} as it was just before this restore. *Undo* returns to it.`,
      ]),
    ],
  };
}

/** The run found the gateway changed since the plan was approved: it did not start; approve the new plan. */
export function replannedMessage(r: Restore): SlackMessage {
  const by = r.approvedBy ? ` after ${userMention(r.approvedBy)} approved it` : ' after the plan was shown';
  return {
    text: `The gateway changed; the restore of ${r.connection} did not start and needs approval again`,
    blocks: [
      section(
        `:warning: *The restore did not start*: the live gateway changed${by}, so nothing was applied. ` +
          `The card above now shows the new plan (its diff is the newest file in this thread). ` +
          `It needs approval again; the old plan's Approve button is refused.`,
      ),
    ],
  };
}

function stepLine(s: FailedRestoreStep): string {
  const what = `${s.op} ${s.kind.replace(/_/g, ' ')} ${s.name}`;
  return `• ${escapeMrkdwn(what)} — ${escapeMrkdwn(scrubReason(s.error))}`;
}

function undoButton(r: Restore): Block[] {
  if (!r.preRestoreBackupId) return [];
  return [
    actions([
      button({
        text: 'Undo',
        actionId: RESTORE_UNDO_ACTION,
        value: r.id,
        confirm: confirmDialog({
          title: 'Undo this restore?',
          text: `This asks for a new restore of ${r.connection} from the pre-restore backup ${r.preRestoreBackupId}; a second person approves it.`,
          confirm: 'Request undo',
          deny: 'Keep it',
        }),
      }),
    ]),
  ];
}

/** How many ids the gateway assigned anew are named in the thread; the record keeps up to 1000. */
const IDS_SHOWN = 5;

/**
 * The ids a gateway that assigns its own (AWS API Gateway) gave the entities the restore re-created:
 * `REST API petstore: a1b2c3d4e5 → f6g7h8i9j0`, so whoever pinned an old id (a base URL, a client
 * certificate's PEM, an IAM policy naming the API) knows what to change.
 */
function assignedIds(result: RestoreRunResult | undefined): Block[] {
  const mapping = result?.idMapping ?? [];
  if (mapping.length === 0) return [];
  const total = result?.idsAssigned ?? mapping.length;
  const lines = mapping.slice(0, IDS_SHOWN).map((m) => {
    const noun = isEntityKind(m.kind) ? KIND_NOUN[m.kind] : m.kind;
    return `${escapeMrkdwn(noun)} ${escapeMrkdwn(m.key)}: ${m.from ? code(m.from) : 'new'} → ${code(m.to)}`;
  });
  const more = total > IDS_SHOWN ? `\n…and ${total - IDS_SHOWN} more in the restore's record.` : '';
  return [section(`*New ids assigned* (${total}):\n${lines.join('\n')}${more}`)];
}

export function restoreResultMessage(r: Restore, result?: RestoreRunResult): SlackMessage {
  const pre = r.preRestoreBackupId
    ? `The gateway as it was before is in backup ${code(r.preRestoreBackupId)}; *Undo* asks to restore it.`
    : 'No pre-restore backup was taken, so there is nothing to undo.';
  if (r.status === 'completed') {
    const drift =
      result?.drift === null || result?.drift === undefined
        ? 'drift not checked'
        : result.drift === 0
          ? 'zero drift'
          : `${plural(result.drift, 'change')} still pending`;
    return {
      text: `Restore ${r.id} of ${r.connection} completed`,
      blocks: [
        section(
          `:white_check_mark: *Restore completed*: ${code(r.connection)} matches backup ${code(r.backupId)} ` +
            `(verified after the apply: ${drift}).`,
        ),
        ...assignedIds(result),
        context([pre]),
        ...undoButton(r),
      ],
    };
  }
  if (r.status === 'partially_failed') {
    const failed = result?.failedSteps ?? [];
    const skipped = result?.notAttempted ?? 0;
    const head = [
      section(
        `:warning: *Restore partially failed* on ${code(r.connection)}: ${plural(result?.applied ?? 0, 'step')} applied, ` +
          `${plural(result?.failed ?? failed.length, 'step')} failed${skipped ? `, ${skipped} not attempted` : ''}. ` +
          'It is not retried automatically; the gateway is between the two states.',
      ),
    ];
    return {
      text: `Restore ${r.id} of ${r.connection} partially failed`,
      blocks: listMessage(head, failed.map(stepLine), [context([pre]), ...undoButton(r)]),
    };
  }
  const { advice, reason } = explainFailure({ code: r.failureCode, reason: r.failureReason });
  return {
    text: `Restore ${r.id} of ${r.connection} failed: ${reason}`,
    blocks: [
      section(`:x: *Restore failed* on ${code(r.connection)}.\n${advice}`),
      section(`*Reason*\n\`\`\`${reason.replace(/```/g, "'''")}\`\`\``),
      context([pre]),
      ...undoButton(r),
    ],
  };
}
