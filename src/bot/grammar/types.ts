import type { AtTime, OnlyEntry } from '../../core/index.ts';

/** The `/kong` sub-commands, in the order help lists them. */
export const COMMAND_NAMES = [
  'help',
  'connections',
  'backup',
  'backups',
  'show',
  'diff',
  'drift',
  'verify',
  'rehearsals',
  'status',
  'audit',
  'restore',
  'approve',
  'reject',
  'cancel',
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** Which backup a diff or restore targets: a concrete id, or the newest completed one. */
export type BackupRef = { kind: 'latest' } | { kind: 'id'; id: string };

/**
 * A `--at` time as typed (src/core/wall-clock.ts). `local` has no zone: the caller converts it with the
 * user's Slack timezone (users.info `tz`), which the pure parser cannot know. `instant` carried its own
 * zone (`Z` or `+01:00`).
 */
export type { AtTime };

/** A person named with a Slack mention (`<@U123|bob>`) or a bare user id. */
export interface UserRef {
  id: string;
  label?: string;
}

export type KongCommand =
  | { name: 'help'; topic?: CommandName }
  | { name: 'connections' }
  | { name: 'backup'; connection: string; note?: string }
  | { name: 'backups'; connection: string; limit: number }
  /** a configured connection's name (its storage) or a backup id */
  | { name: 'show'; id: string }
  | { name: 'diff'; connection: string; backup: BackupRef; only?: OnlyEntry[] }
  /** compare the live gateway with its newest backup now */
  | { name: 'drift'; connection: string }
  | { name: 'verify'; backupId: string }
  | { name: 'rehearsals'; connection: string; limit: number }
  | { name: 'status'; id: string }
  | {
      name: 'audit';
      /** `/kong audit verify`: check the chain against the newest signed checkpoint */
      verify?: true;
      connection?: string;
      user?: UserRef;
      action?: string;
      sinceMs?: number;
      limit: number;
    }
  | {
      name: 'restore';
      connection: string;
      backup: BackupRef;
      at?: AtTime;
      /** `latest`/`--at` may pick a pre-restore backup */
      includePreRestore?: boolean;
      only?: OnlyEntry[];
      noDeletes: boolean;
      breakGlass: boolean;
      reason: string;
    }
  | { name: 'approve'; requestId: string }
  | { name: 'reject'; requestId: string }
  | { name: 'cancel'; requestId: string };

/** One command's parsed shape, by name: `CommandOf<'restore'>`. */
export type CommandOf<N extends CommandName> = Extract<KongCommand, { name: N }>;

export interface ParseError {
  ok: false;
  /** One sentence saying what is wrong, safe to show in Slack (user input is quoted, not interpreted). */
  message: string;
  /** The usage line of the command concerned, or the list of commands when the command is unknown. */
  usage: string;
  /** The command the error is about, when it was recognised. */
  command?: CommandName;
  /** Closest command, option or section names for a misspelling (edit distance), best first. */
  suggestions: string[];
}

export type ParseResult = { ok: true; command: KongCommand } | ParseError;
