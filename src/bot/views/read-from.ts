/**
 * Which copy of a backup was read (diff and restore cards), said only when it is news: a copy other than
 * the primary, or copies with problems (a missing or corrupt primary, issue 15).
 */
import { escapeMrkdwn } from '../blocks/index.ts';
import { code } from './format.ts';

/** `Restore.planSummary.readFrom` (the plan job) and `DiffOutcome.readFrom` (the diff job). */
export interface BackupReadFrom {
  target: string;
  location: string;
  problems: string[];
}

/** "read from copy `x`" and a ⚠ line per problem, or nothing when the primary was read without trouble. */
export function readFromLines(from: BackupReadFrom | undefined): string[] {
  if (!from || (from.target === 'primary' && from.problems.length === 0)) return [];
  return [`read from copy ${code(from.target)}`, ...from.problems.map((p) => `:warning: ${escapeMrkdwn(p)}`)];
}
