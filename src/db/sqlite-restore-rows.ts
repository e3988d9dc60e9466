/** Row ↔ record mapping for restores (shared by the repository and the decision functions). */
import { toFailureCode } from '../app/ports/backups.ts';
import type { Restore } from '../app/ports/restores.ts';
import type { restores } from './schema.ts';

export type RestoreRow = typeof restores.$inferSelect;

export function toRestore(row: RestoreRow): Restore {
  const { slackChannel, slackTs, failureCode, ...rest } = row;
  return {
    ...rest,
    failureCode: toFailureCode(failureCode),
    slack: slackChannel && slackTs ? { channel: slackChannel, ts: slackTs } : null,
  };
}
