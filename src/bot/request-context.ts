/**
 * Gives each request Slack sends (a command, a click, an event) a fresh id, the log context of
 * everything done for it: the dedup check, the listener, the handler's work after the ack (the bot's
 * work queue runs each task in the context it was queued in). Bolt's first middleware, so every line
 * about the request carries `requestId`.
 */
import { randomBytes } from 'node:crypto';
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { withLogContext } from '../app/log-context.ts';

export function inRequestContext(
  newId: () => string = () => `req-${randomBytes(6).toString('hex')}`,
): Middleware<AnyMiddlewareArgs> {
  return async ({ next }) => withLogContext({ requestId: newId() }, () => next());
}
