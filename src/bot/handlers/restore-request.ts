/**
 * Starting a restore request from Slack, shared by `/kong restore` and the Undo button: refuse early
 * (no restores here, another request holds the connection, an unusable backup id) without posting
 * anything; otherwise post ONE top-level card (the thread root), create the request with the card's
 * channel and ts (the jobs' `requestRestore` enqueues the plan job), and let the notifier follow it.
 */
import type { Backup, Restore } from '../../app/ports/records.ts';
import { escapeMrkdwn } from '../blocks/index.ts';
import type { RestoreRequestInput } from '../restore-services.ts';
import { messageLink } from '../slack/lookups.ts';
import { code, slackDate } from '../views/format.ts';
import type { SlackMessage } from '../views/message.ts';
import { restoreCard } from '../views/restore-card.ts';
import { note, refusalMessage } from '../views/simple.ts';
import type { BotRuntime, CommandResult } from './context.ts';

export interface RestoreCaller {
  userId: string;
  channelId: string;
  /** an ephemeral answer to the caller */
  respond(message: SlackMessage): Promise<void>;
}

export type NewRestore = Omit<RestoreRequestInput, 'requestedBy' | 'slack'>;

async function activeRefusal(rt: BotRuntime, active: Restore, intro: string): Promise<string> {
  const link = active.slack ? await messageLink(rt.outbox, active.slack) : null;
  const where = link ? ` <${link}|See its card.>` : '';
  return `${intro} Restore request ${code(active.id)} (${active.status.replace(/_/g, ' ')}, by <@${active.requestedBy}>) holds ${code(active.connection)}; one restore per connection at a time.${where}`;
}

/** Why the named backup cannot be restored, or null when it can (latest and --at are resolved by the jobs). */
async function backupProblem(rt: BotRuntime, input: NewRestore): Promise<string | null> {
  if (input.backup.kind !== 'id') return null;
  const b = await rt.services.backups.get(input.backup.id);
  if (!b)
    return `There is no backup ${code(input.backup.id)}. List them with \`/kong backups ${input.connection}\`.`;
  if (b.connection !== input.connection)
    return `Backup ${code(b.id)} belongs to ${code(b.connection)}, not ${code(input.connection)}.`;
  if (b.status !== 'completed')
    return `Backup ${code(b.id)} is ${b.status}; only completed backups can be restored.`;
  if (b.prunedAt) return `Backup ${code(b.id)} was removed by retention; its artifact is gone.`;
  return null;
}

export async function startRestoreRequest(
  rt: BotRuntime,
  caller: RestoreCaller,
  input: NewRestore,
): Promise<CommandResult> {
  const base = { connection: input.connection, details: { breakGlass: input.breakGlass === true } };
  const flow = rt.services.restoreRequests;
  if (!flow) {
    await caller.respond(
      note(`This snapgate server does not run ${code('restore')}: it has no restore service.`),
    );
    return { ...base, outcome: 'refused', details: { reason: 'unsupported' } };
  }
  const active = await rt.services.restores.findActive(input.connection);
  // A request past its expiry that the expiry job has not reached yet does not hold the connection:
  // the jobs expire it before creating the new one.
  const waiting = active?.status === 'planned' || active?.status === 'awaiting_approval';
  if (active && !(waiting && active.expiresAt.getTime() <= rt.services.now().getTime())) {
    await caller.respond(refusalMessage(await activeRefusal(rt, active, 'Not started.')));
    return {
      ...base,
      outcome: 'refused',
      details: { ...base.details, reason: 'restore_in_progress', active: active.id },
    };
  }
  const problem = await backupProblem(rt, input);
  if (problem) {
    await caller.respond(note(problem));
    return { ...base, outcome: 'refused', details: { ...base.details, reason: problem.slice(0, 200) } };
  }
  const connection = rt.auth.connection(input.connection)!;
  const requestedAt = rt.services.now();
  const card = restoreCard({
    id: null,
    connection: connection.name,
    environment: connection.environment,
    status: 'planned',
    requestedBy: caller.userId,
    reason: input.reason,
    onlySections: input.only ?? null,
    noDeletes: input.noDeletes === true,
    breakGlass: input.breakGlass === true,
    requestedAt,
    expiresAt: null,
    backupId:
      input.backup.kind === 'id'
        ? input.backup.id
        : input.backup.kind === 'latest'
          ? 'latest'
          : 'picked by --at',
    backup: null,
    line: ':hourglass_flowing_sand: Planning… picking the backup.',
  });
  const posted = await rt.outbox.run(caller.channelId, (c) =>
    c.chat.postMessage({ channel: caller.channelId, ...card }),
  );
  const ref = { channel: caller.channelId, ts: posted.ts! };
  rt.cards.posted(ref);
  let created: Awaited<ReturnType<typeof flow.request>>;
  try {
    created = await flow.request({ ...input, requestedBy: caller.userId, slack: ref });
  } catch (err) {
    // The request was refused after the card went up (a race for the connection, no backup at --at):
    // the card says it did not start, the caller gets the reason.
    const message = (err as Error).message;
    const holder = await rt.services.restores.findActive(input.connection);
    const text = holder ? await activeRefusal(rt, holder, 'Not started.') : `Not started: ${message}`;
    rt.cards.update(ref, { ...card, ...notStarted(card, text) });
    await caller.respond(refusalMessage(text));
    return { ...base, outcome: 'refused', details: { ...base.details, reason: message.slice(0, 200) } };
  }
  const restore = created.restore.slack ? created.restore : { ...created.restore, slack: ref };
  if (!created.restore.slack) await rt.services.restores.setSlackMessage(restore.id, ref);
  const picked =
    input.backup.kind === 'at' && created.gapMs !== undefined
      ? { at: input.backup.time, gapMs: created.gapMs }
      : undefined;
  // A fast plan job may have moved on already: show the newest state with what only the bot knows.
  const latest = (await rt.services.restores.get(restore.id)) ?? restore;
  rt.notifier.restores.requested(
    { ...latest, slack: ref },
    { environment: connection.environment, backup: created.backup, ...(picked ? { picked } : {}) },
  );
  await caller.respond(
    note(
      `Restore request ${code(restore.id)} for ${code(connection.name)} from ${pickedBackup(input, created.backup)} posted; ` +
        `the plan follows on the card, then ${input.breakGlass ? 'you (break-glass) or an approver' : 'an approver other than you'} must approve it.`,
    ),
  );
  return {
    ...base,
    outcome: 'ok',
    targetId: restore.id,
    details: { ...base.details, backupId: created.backup.id },
  };
}

/** Which backup, its type and when it was taken; `latest`/`--at` say whether pre-restore ones were skipped. */
function pickedBackup(input: NewRestore, b: Backup): string {
  const how =
    input.backup.kind === 'id'
      ? ''
      : `${input.backup.kind === 'latest' ? 'latest' : 'newest at or before --at'}${input.backup.includePreRestore ? '' : ', pre-restore backups skipped'}: `;
  return `backup ${code(b.id)} (${how}${escapeMrkdwn(b.type)}, taken ${slackDate(b.startedAt ?? b.createdAt)})`;
}

function notStarted(card: SlackMessage, text: string): SlackMessage {
  const blocks = card.attachments?.[0]?.blocks ?? [];
  return {
    text: 'Restore request not started',
    attachments: [
      {
        color: '#9e9e9e',
        fallback: 'Restore request not started',
        blocks: [...blocks.slice(0, 2), ...refusalMessage(text).blocks!],
      },
    ],
  };
}
