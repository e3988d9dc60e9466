/** Row ↔ record mapping for restores (shared by the repository and the decision functions). */
import type { Restore } from '../app/ports/restores.ts';
import type { restores } from './schema.ts';

export type RestoreRow = typeof restores.$inferSelect;

export function toRestore(row: RestoreRow): Restore {
  const { slackChannel, slackTs, ...rest } = row;
  return { ...rest, slack: slackChannel && slackTs ? { channel: slackChannel, ts: slackTs } : null };
}
