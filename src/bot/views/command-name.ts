/**
 * Answers are written with `/kong` in their hints (`Take one with /kong backup prod`); a person who typed
 * `/snapgate` reads them with the command they typed. Only the command word is replaced (`/kong ` and
 * `` /kong` ``), in every string of the message: text, blocks and attachments alike.
 */
import type { SlackMessage } from './message.ts';

const KONG_COMMAND = /\/kong(?=[\s`]|$)/g;

function rename<T>(value: T, command: string): T {
  if (typeof value === 'string') return value.replace(KONG_COMMAND, command) as T;
  if (Array.isArray(value)) return value.map((v) => rename(v, command)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rename(v, command)])) as T;
  }
  return value;
}

/** The message as the person who typed `command` should read it (unchanged for `/kong`). */
export function inCommand(message: SlackMessage, command: string | undefined): SlackMessage {
  if (!command || command === '/kong') return message;
  return rename(message, command);
}
