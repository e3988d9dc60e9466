/**
 * Read-only Web API lookups the handlers need (the caller's timezone, links to messages). They run
 * through the outbox under their own key, so a 429 on them is honoured like any other call without
 * holding a channel's posts.
 */
import type { SlackMessageRef } from '../../app/ports/records.ts';
import { userTimezone } from '../handlers/restore-time.ts';
import type { SlackOutbox } from './outbox.ts';

const LOOKUPS = '@lookups';
const workspaceUrls = new WeakMap<SlackOutbox, Promise<string | null>>();

export function lookupUserTimezone(outbox: SlackOutbox, userId: string): Promise<string> {
  return outbox.run(LOOKUPS, (c) => userTimezone(c, userId));
}

/**
 * A link to a message (`https://<team>.slack.com/archives/<channel>/p<ts without dot>`, the form
 * chat.getPermalink returns); the workspace URL comes from auth.test once. Null when it cannot be read.
 */
export async function messageLink(outbox: SlackOutbox, ref: SlackMessageRef): Promise<string | null> {
  let url = workspaceUrls.get(outbox);
  if (!url) {
    url = outbox
      .run(LOOKUPS, (c) => c.auth.test())
      .then(
        (r) => r.url ?? null,
        () => null,
      );
    workspaceUrls.set(outbox, url);
  }
  const base = await url;
  if (!base) return null;
  return `${base.replace(/\/$/, '')}/archives/${ref.channel}/p${ref.ts.replace('.', '')}`;
}
