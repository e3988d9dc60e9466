/** The workspace the fake Slack keeps: messages in channels and threads, ephemerals, files, people. */

export interface MessageContent {
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
}

export interface FakeMessage extends MessageContent {
  channel: string;
  ts: string;
  /** The root's ts for a thread reply; undefined for a top-level message. */
  threadTs?: string;
  replyBroadcast: boolean;
  /** Files shared with this message (files.completeUploadExternal). */
  fileIds: string[];
  /** Every earlier version, oldest first; `edits` counts chat.update calls applied. */
  history: (MessageContent & { at: number })[];
  edits: number;
  /** removed by a response_url `delete_original` */
  deleted?: boolean;
  postedAt: number;
  updatedAt: number;
}

export interface FakeEphemeral extends MessageContent {
  channel: string;
  user: string;
  threadTs?: string;
  messageTs: string;
  at: number;
}

export interface FakeFile {
  id: string;
  filename: string;
  title?: string;
  snippetType?: string;
  altText?: string;
  /** Declared in files.getUploadURLExternal */
  length: number;
  /** Bytes POSTed to the upload URL; null until then. */
  content: Buffer | null;
  channel?: string;
  threadTs?: string;
  initialComment?: string;
  completed: boolean;
}

export interface FakeUser {
  id: string;
  name: string;
  realName?: string;
  tz?: string;
  tzOffset?: number;
  deleted?: boolean;
  isBot?: boolean;
  isAdmin?: boolean;
  isRestricted?: boolean;
}

export interface ResponseUrlPost {
  id: string;
  body: Record<string, unknown>;
  at: number;
}

export interface RecordedCall {
  method: string;
  /** Decoded arguments (blocks as arrays), without the token. */
  body: Record<string, unknown>;
  at: number;
  /** What the fake answered: `ok`, an error code, or `429`. */
  outcome: string;
}

/** Message timestamps as Slack formats them ("1700000000.000100"), strictly increasing. */
export class TsClock {
  private micros = 1_700_000_000_000_000;
  next(): string {
    this.micros += 100;
    const s = String(this.micros);
    return `${s.slice(0, 10)}.${s.slice(10)}`;
  }
}

export function userInfo(u: FakeUser, teamId: string): Record<string, unknown> {
  return {
    id: u.id,
    team_id: teamId,
    name: u.name,
    real_name: u.realName ?? u.name,
    deleted: u.deleted ?? false,
    is_bot: u.isBot ?? false,
    is_admin: u.isAdmin ?? false,
    is_restricted: u.isRestricted ?? false,
    is_ultra_restricted: false,
    tz: u.tz ?? 'Europe/Amsterdam',
    tz_offset: u.tzOffset ?? 3600,
    profile: { display_name: u.name, real_name: u.realName ?? u.name },
  };
}

export function content(args: Record<string, unknown>): MessageContent {
  const c: MessageContent = {};
  if (typeof args.text === 'string') c.text = args.text;
  if (Array.isArray(args.blocks)) c.blocks = args.blocks;
  if (Array.isArray(args.attachments)) c.attachments = args.attachments;
  return c;
}
