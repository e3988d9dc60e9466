import { validateMessage } from '../../bot/blocks/index.ts';
import type { Args } from './body.ts';
import {
  content,
  type FakeEphemeral,
  type FakeFile,
  type FakeMessage,
  type FakeUser,
  TsClock,
  userInfo,
} from './state.ts';

export type Reply =
  | { ok: true; [key: string]: unknown }
  | { ok: false; error: string; [key: string]: unknown };

const fail = (error: string, extra: Record<string, unknown> = {}): Reply => ({ ok: false, error, ...extra });
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** What changed, for live views (the console's page): the changed record itself. */
export type WorkspaceEvent =
  | { type: 'message'; message: FakeMessage }
  | { type: 'ephemeral'; ephemeral: FakeEphemeral }
  | { type: 'file'; file: FakeFile }
  | { type: 'problem'; problem: string };

/** Where a response_url's posts land: the channel and person of the command or click. */
export interface ResponseContext {
  channel: string;
  user: string;
  /** the message whose button was clicked (replace_original / delete_original act on it) */
  messageTs?: string;
  threadTs?: string;
}

export interface Identity {
  teamId: string;
  teamName: string;
  botUserId: string;
  botId: string;
}

/**
 * The Web API methods the bot calls, answering as Slack does (argument names and error codes from
 * slack-ruby/slack-api-ref methods/*.json and docs.slack.dev method pages). Every message payload goes
 * through `validateMessage`; a payload Slack would refuse is refused here and recorded as a problem.
 */
export class Workspace {
  readonly messages: FakeMessage[] = [];
  readonly ephemerals: FakeEphemeral[] = [];
  readonly files: FakeFile[] = [];
  readonly users = new Map<string, FakeUser>();
  readonly usergroups = new Map<string, string[]>();
  readonly problems: string[] = [];
  readonly listeners = new Set<(e: WorkspaceEvent) => void>();
  private readonly clock = new TsClock();
  private fileSeq = 0;

  constructor(
    readonly identity: Identity,
    private readonly uploadUrl: (fileId: string) => string,
  ) {}

  emit(e: WorkspaceEvent): void {
    for (const l of this.listeners) l(e);
  }

  /** Records something Slack would have refused or a bot should not do. */
  problem(text: string): void {
    this.problems.push(text);
    this.emit({ type: 'problem', problem: text });
  }

  call(method: string, args: Args): Reply {
    switch (method) {
      case 'api.test':
        return { ok: true, args };
      case 'auth.test':
        return this.authTest();
      case 'chat.postMessage':
        return this.postMessage(args);
      case 'chat.update':
        return this.update(args);
      case 'chat.postEphemeral':
        return this.postEphemeral(args);
      case 'files.getUploadURLExternal':
        return this.getUploadUrl(args);
      case 'files.completeUploadExternal':
        return this.completeUpload(args);
      case 'users.info':
        return this.userInfo(args);
      case 'usergroups.users.list':
        return this.usergroupUsers(args);
      default:
        this.problem(`${method}: the fake does not implement this method`);
        return fail('unknown_method');
    }
  }

  /** Checks a payload; on failure records why and returns the error Slack would answer. */
  refusal(where: string, payload: Args): string | undefined {
    const problems = validateMessage(payload);
    if (problems.length === 0) return undefined;
    for (const p of problems) this.problem(`${where}: ${p.code} at ${p.path}: ${p.message}`);
    return problems[0]!.code;
  }

  /**
   * Shows what was posted to a response_url as Slack does (docs.slack.dev "Handling user interaction",
   * response_url): `delete_original` removes the message the button sat in, `replace_original` replaces
   * it, `response_type: in_channel` posts to the channel, anything else is an ephemeral to the person.
   * Called after the payload passed validation.
   */
  applyResponse(ctx: ResponseContext, body: Args): void {
    const original = ctx.messageTs ? this.message(ctx.channel, ctx.messageTs) : undefined;
    const yes = (v: unknown) => v === true || v === 'true';
    if (yes(body.delete_original) && original) {
      original.deleted = true;
      original.updatedAt = Date.now();
      this.emit({ type: 'message', message: original });
      return;
    }
    if (yes(body.replace_original) && original) {
      original.history.push({ ...pick(original), at: original.updatedAt });
      Object.assign(original, { text: undefined, blocks: undefined, attachments: undefined }, content(body));
      original.edits++;
      original.updatedAt = Date.now();
      this.emit({ type: 'message', message: original });
      return;
    }
    const threadTs = str(body.thread_ts) ?? ctx.threadTs;
    if (body.response_type === 'in_channel') {
      this.store(ctx.channel, content(body), threadTs, false);
      return;
    }
    const e: FakeEphemeral = {
      channel: ctx.channel,
      user: ctx.user,
      messageTs: this.clock.next(),
      at: Date.now(),
      ...content(body),
    };
    if (threadTs) e.threadTs = threadTs;
    this.ephemerals.push(e);
    this.emit({ type: 'ephemeral', ephemeral: e });
  }

  private authTest(): Reply {
    const { teamId, teamName, botUserId, botId } = this.identity;
    return {
      ok: true,
      url: `https://${teamName}.slack.com/`,
      team: teamName,
      user: 'snapgate',
      team_id: teamId,
      user_id: botUserId,
      bot_id: botId,
      is_enterprise_install: false,
    };
  }

  private postMessage(args: Args): Reply {
    const channel = str(args.channel);
    if (!channel) return fail('channel_not_found');
    const refused = this.refusal('chat.postMessage', args);
    if (refused) return fail(refused);
    let threadTs = str(args.thread_ts);
    if (threadTs) {
      const root = this.message(channel, threadTs);
      if (!root) {
        this.problem(`chat.postMessage: thread_ts ${threadTs} is not a message in ${channel}`);
        return fail('thread_not_found');
      }
      if (root.threadTs) {
        // Slack files a reply to a reply under the root; a bot doing it has lost track of its thread.
        this.problem(`chat.postMessage: thread_ts ${threadTs} is a reply, not the thread root`);
        threadTs = root.threadTs;
      }
    }
    const m = this.store(
      channel,
      content(args),
      threadTs,
      args.reply_broadcast === true || args.reply_broadcast === 'true',
    );
    return { ok: true, channel, ts: m.ts, message: this.messageJson(m) };
  }

  private update(args: Args): Reply {
    const channel = str(args.channel);
    const ts = str(args.ts);
    if (!channel) return fail('channel_not_found');
    const m = ts ? this.message(channel, ts) : undefined;
    if (!m) return fail('message_not_found');
    // Fields left out keep their old value (docs.slack.dev chat.update: omitted blocks are retained).
    const next = { ...pick(m), ...content(args) };
    const refused = this.refusal('chat.update', next);
    if (refused) return fail(refused);
    m.history.push({ ...pick(m), at: m.updatedAt });
    Object.assign(m, next);
    m.edits++;
    m.updatedAt = Date.now();
    this.emit({ type: 'message', message: m });
    return { ok: true, channel, ts: m.ts, text: m.text ?? '', message: this.messageJson(m) };
  }

  private postEphemeral(args: Args): Reply {
    const channel = str(args.channel);
    const user = str(args.user);
    if (!channel) return fail('channel_not_found');
    if (!user) return fail('user_not_found');
    if (this.users.size > 0 && !this.users.has(user)) return fail('user_not_in_channel');
    const refused = this.refusal('chat.postEphemeral', args);
    if (refused) return fail(refused);
    const messageTs = this.clock.next();
    const e: FakeEphemeral = { channel, user, messageTs, at: Date.now(), ...content(args) };
    const threadTs = str(args.thread_ts);
    if (threadTs) e.threadTs = threadTs;
    this.ephemerals.push(e);
    this.emit({ type: 'ephemeral', ephemeral: e });
    return { ok: true, message_ts: messageTs };
  }

  private getUploadUrl(args: Args): Reply {
    const filename = str(args.filename);
    const length = Number(args.length);
    if (!filename || !Number.isInteger(length) || length < 0) return fail('invalid_arguments');
    const id = `F${String(++this.fileSeq).padStart(9, '0')}`;
    const file: FakeFile = { id, filename, length, content: null, completed: false };
    if (str(args.snippet_type)) file.snippetType = str(args.snippet_type)!;
    if (str(args.alt_text)) file.altText = str(args.alt_text)!;
    this.files.push(file);
    return { ok: true, upload_url: this.uploadUrl(id), file_id: id };
  }

  /** The upload URL: stores the bytes; Slack checks their size against the declared length. */
  receiveUpload(fileId: string, bytes: Buffer): boolean {
    const file = this.files.find((f) => f.id === fileId);
    if (!file) return false;
    if (bytes.length !== file.length) {
      this.problem(`upload ${fileId}: ${bytes.length} bytes sent, ${file.length} declared`);
    }
    file.content = bytes;
    this.emit({ type: 'file', file });
    return true;
  }

  private completeUpload(args: Args): Reply {
    const list = args.files;
    if (!Array.isArray(list) || list.length === 0) return fail('invalid_arguments');
    const channel = str(args.channel_id);
    const threadTs = str(args.thread_ts);
    if (threadTs && !channel) return fail('invalid_arguments');
    if (channel && threadTs && !this.message(channel, threadTs)) {
      this.problem(`files.completeUploadExternal: thread_ts ${threadTs} is not a message in ${channel}`);
      return fail('thread_not_found');
    }
    const done: FakeFile[] = [];
    for (const entry of list as { id?: string; title?: string }[]) {
      const file = this.files.find((f) => f.id === entry?.id);
      if (!file || file.content === null) return fail('file_not_found');
      if (file.completed) return fail('file_upload_already_completed');
      done.push(file);
    }
    const comment = str(args.initial_comment);
    for (const [i, file] of done.entries()) {
      const title = str((list as { title?: string }[])[i]?.title);
      Object.assign(file, { completed: true, ...(title ? { title } : {}) });
      if (channel) Object.assign(file, { channel, ...(threadTs ? { threadTs } : {}) });
      if (comment) file.initialComment = comment;
    }
    for (const file of done) this.emit({ type: 'file', file });
    if (channel)
      this.store(
        channel,
        comment ? { text: comment } : {},
        threadTs,
        false,
        done.map((f) => f.id),
      );
    return {
      ok: true,
      files: done.map((f) => ({ id: f.id, title: f.title ?? f.filename, name: f.filename })),
    };
  }

  private userInfo(args: Args): Reply {
    const id = str(args.user);
    const u = id ? this.users.get(id) : undefined;
    return u ? { ok: true, user: userInfo(u, this.identity.teamId) } : fail('user_not_found');
  }

  private usergroupUsers(args: Args): Reply {
    const id = str(args.usergroup);
    const members = id ? this.usergroups.get(id) : undefined;
    return members ? { ok: true, users: [...members] } : fail('no_such_subteam');
  }

  message(channel: string, ts: string): FakeMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts);
  }

  private store(
    channel: string,
    c: ReturnType<typeof content>,
    threadTs: string | undefined,
    broadcast: boolean,
    fileIds: string[] = [],
  ) {
    const now = Date.now();
    const m: FakeMessage = {
      channel,
      ts: this.clock.next(),
      replyBroadcast: broadcast,
      fileIds,
      history: [],
      edits: 0,
      postedAt: now,
      updatedAt: now,
      ...c,
    };
    if (threadTs) m.threadTs = threadTs;
    this.messages.push(m);
    this.emit({ type: 'message', message: m });
    return m;
  }

  private messageJson(m: FakeMessage): Record<string, unknown> {
    const out: Record<string, unknown> = {
      type: 'message',
      user: this.identity.botUserId,
      bot_id: this.identity.botId,
      ts: m.ts,
      text: m.text ?? '',
      team: this.identity.teamId,
    };
    if (m.blocks) out.blocks = m.blocks;
    if (m.attachments) out.attachments = m.attachments;
    if (m.threadTs) out.thread_ts = m.threadTs;
    return out;
  }
}

function pick(m: FakeMessage): ReturnType<typeof content> {
  return content(m as unknown as Args);
}
