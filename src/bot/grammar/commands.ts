import { type Args, allOf, type FlagSpec, hasFlag, optionalFlag, positional } from './args.ts';
import type { CommandName, KongCommand } from './types.ts';
import {
  type Read,
  readAction,
  readAt,
  readBackupRef,
  readConnection,
  readDuration,
  readId,
  readLimit,
  readSections,
  readText,
  readUser,
  shown,
} from './values.ts';

export const DEFAULT_BACKUPS_LIMIT = 10;
export const DEFAULT_AUDIT_LIMIT = 20;

/** One row per `/kong` command: what help shows, what the parser accepts, and how words become a command. */
export interface CommandSpec {
  name: CommandName;
  usage: string;
  summary: string;
  /** Extra help lines: what options mean, who may run it, an example. */
  details: readonly string[];
  positionals: readonly { name: string; optional?: boolean }[];
  flags: readonly FlagSpec[];
  build(a: Args): Read<KongCommand>;
}

const textFlag = (a: Args, flag: string) => optionalFlag(a, flag, (t) => readText(t.text, flag));
const sectionsFlag = (a: Args) => {
  const words = a.flags.get('only');
  return words ? readSections(words.map((w) => w.text)) : { ok: true as const, value: undefined };
};
const idCommand = (name: 'show' | 'verify' | 'status' | 'approve' | 'reject' | 'cancel', what: string) => {
  const key = name === 'verify' ? 'backupId' : name === 'show' || name === 'status' ? 'id' : 'requestId';
  return (a: Args): Read<KongCommand> => {
    const id = positional(a, 0, (t) => readId(t, what));
    return id.ok ? { ok: true, value: { name, [key]: id.value } as KongCommand } : id;
  };
};
const withName = <T extends object>(name: KongCommand['name'], r: Read<T>): Read<KongCommand> =>
  r.ok ? { ok: true, value: { name, ...r.value } as KongCommand } : r;

/** `<connection> [--limit N]`: the list commands (`backups`, `rehearsals`). */
function listCommand(name: 'backups' | 'rehearsals', a: Args): Read<KongCommand> {
  const r = allOf({
    connection: positional(a, 0, readConnection),
    limit: optionalFlag(a, 'limit', (t) => readLimit(t.text)),
  });
  return withName(
    name,
    r.ok ? { ok: true, value: { ...r.value, limit: r.value.limit ?? DEFAULT_BACKUPS_LIMIT } } : r,
  );
}

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'help',
    usage: '/kong help [command]',
    summary: 'List the commands, or explain one.',
    details: ['Example: `/kong help restore`'],
    positionals: [{ name: 'command', optional: true }],
    flags: [],
    // The topic is checked against the table in parse.ts, which knows every command.
    build: () => ({ ok: true, value: { name: 'help' } }),
  },
  {
    name: 'connections',
    usage: '/kong connections',
    summary: 'List the gateways snapgate knows (Kong, AWS API Gateway) and your role on each.',
    details: [],
    positionals: [],
    flags: [],
    build: () => ({ ok: true, value: { name: 'connections' } }),
  },
  {
    name: 'backup',
    usage: '/kong backup <connection> [--note "text"]',
    summary: 'Take a backup of a gateway now.',
    details: [
      'Needs the operator role on the connection.',
      'Example: `/kong backup prod --note "before 2.4 rollout"`',
    ],
    positionals: [{ name: '<connection>' }],
    flags: [{ name: 'note', arity: 'text' }],
    build: (a) =>
      withName('backup', allOf({ connection: positional(a, 0, readConnection), note: textFlag(a, 'note') })),
  },
  {
    name: 'backups',
    usage: '/kong backups <connection> [--limit N]',
    summary: 'List the newest backups of a gateway.',
    details: [
      `--limit: 1 to 100, default ${DEFAULT_BACKUPS_LIMIT}.`,
      'Example: `/kong backups prod --limit 5`',
    ],
    positionals: [{ name: '<connection>' }],
    flags: [{ name: 'limit', arity: 'value' }],
    build: (a) => listCommand('backups', a),
  },
  {
    name: 'show',
    usage: '/kong show <connection|backup-id>',
    summary:
      "A connection's storage (each copy's place and last verification), or one backup: counts, size, checksum, copies.",
    details: ['Example: `/kong show prod`'],
    positionals: [{ name: '<connection|backup-id>' }],
    flags: [],
    build: idCommand('show', 'connection or backup id'),
  },
  {
    name: 'diff',
    usage: '/kong diff <connection> <backup-id|latest> [--only sections]',
    summary: 'Show what differs between the live gateway and a backup.',
    details: [
      '--only: comma-separated sections, e.g. `--only plugins,routes`.',
      'Example: `/kong diff prod latest`',
    ],
    positionals: [{ name: '<connection>' }, { name: '<backup-id|latest>' }],
    flags: [{ name: 'only', arity: 'list' }],
    build: (a) =>
      withName(
        'diff',
        allOf({
          connection: positional(a, 0, readConnection),
          backup: positional(a, 1, readBackupRef),
          only: sectionsFlag(a),
        }),
      ),
  },
  {
    name: 'drift',
    usage: '/kong drift <connection>',
    summary: 'Check now whether the live gateway still matches its newest backup.',
    details: [
      'Needs the operator role on the connection. The answer (drift card with the full diff, or "no drift") is posted in this channel.',
      'Example: `/kong drift prod`',
    ],
    positionals: [{ name: '<connection>' }],
    flags: [],
    build: (a) => withName('drift', allOf({ connection: positional(a, 0, readConnection) })),
  },
  {
    name: 'verify',
    usage: '/kong verify <backup-id>',
    summary: "Check a backup's checksum and that it decrypts.",
    details: [],
    positionals: [{ name: '<backup-id>' }],
    flags: [],
    build: idCommand('verify', 'backup id'),
  },
  {
    name: 'rehearsals',
    usage: '/kong rehearsals <connection> [--limit N]',
    summary: "List the restore rehearsals of a gateway's backups: result, recovery time, drift.",
    details: [
      'A rehearsal restores a backup into a scratch gateway (`rehearsal:` in snapgate.yml) and checks zero drift.',
      `--limit: 1 to 100, default ${DEFAULT_BACKUPS_LIMIT}.`,
      'Example: `/kong rehearsals prod`',
    ],
    positionals: [{ name: '<connection>' }],
    flags: [{ name: 'limit', arity: 'value' }],
    build: (a) => listCommand('rehearsals', a),
  },
  {
    name: 'status',
    usage: '/kong status <id>',
    summary: 'Show where a backup or restore request stands.',
    details: [],
    positionals: [{ name: '<id>' }],
    flags: [],
    build: idCommand('status', 'backup or request id'),
  },
  {
    name: 'audit',
    usage:
      '/kong audit [--connection c] [--user @someone] [--action a] [--since 7d] [--limit N] | /kong audit verify',
    summary:
      'Search the audit log, or verify it against its newest signed checkpoint (answered only to you).',
    details: [
      `--since: \`30m\`, \`12h\`, \`7d\`, \`2w\`. --limit: 1 to 100, default ${DEFAULT_AUDIT_LIMIT}.`,
      'Example: `/kong audit --connection prod --action restore --since 7d`',
      '`/kong audit verify` (admins): recomputes the hash chain and checks it against the newest signed checkpoint.',
    ],
    positionals: [{ name: 'verify', optional: true }],
    flags: [
      { name: 'connection', arity: 'value' },
      { name: 'user', arity: 'value' },
      { name: 'action', arity: 'value' },
      { name: 'since', arity: 'value' },
      { name: 'limit', arity: 'value' },
    ],
    build: (a) => {
      const word = a.positionals[0];
      if (word !== undefined) {
        if (word.text !== 'verify') {
          return {
            ok: false,
            message: `Unexpected ${shown(word.text)} (options start with --; or \`verify\`).`,
          };
        }
        if (a.flags.size > 0) return { ok: false, message: '`/kong audit verify` takes no options.' };
        return { ok: true, value: { name: 'audit', verify: true, limit: DEFAULT_AUDIT_LIMIT } };
      }
      const r = allOf({
        connection: optionalFlag(a, 'connection', readConnection),
        user: optionalFlag(a, 'user', readUser),
        action: optionalFlag(a, 'action', (t) => readAction(t.text)),
        sinceMs: optionalFlag(a, 'since', (t) => readDuration(t.text)),
        limit: optionalFlag(a, 'limit', (t) => readLimit(t.text)),
      });
      return withName(
        'audit',
        r.ok ? { ok: true, value: { ...r.value, limit: r.value.limit ?? DEFAULT_AUDIT_LIMIT } } : r,
      );
    },
  },
  {
    name: 'restore',
    usage:
      '/kong restore <connection> <backup-id|latest> [--at "2026-11-20 14:00"] [--include-pre-restore] [--only sections] [--no-deletes] [--break-glass] --reason "text"',
    summary: 'Ask to restore a gateway from a backup; a second person approves.',
    details: [
      '--at picks the newest completed backup at or before that time (your Slack timezone, to the second); give `latest` or no backup with it.',
      '`latest` and --at skip pre-restore backups (the state a restore replaced) unless --include-pre-restore.',
      '--only: comma-separated sections. --no-deletes: never delete what the backup lacks.',
      '--break-glass: admins only, allows approving your own request; announced in the channel.',
      'Example: `/kong restore prod latest --only plugins --reason "bad rate limit at 14:00"`',
    ],
    positionals: [{ name: '<connection>' }, { name: '<backup-id|latest>', optional: true }],
    flags: [
      { name: 'at', arity: 'value' },
      { name: 'include-pre-restore', arity: 'boolean' },
      { name: 'only', arity: 'list' },
      { name: 'no-deletes', arity: 'boolean' },
      { name: 'break-glass', arity: 'boolean' },
      { name: 'reason', arity: 'text' },
    ],
    build: (a) => {
      const backupWord = a.positionals[1];
      const at = optionalFlag(a, 'at', (t) => readAt(t.text));
      if (!backupWord && !hasFlag(a, 'at'))
        return { ok: false, message: 'Missing <backup-id|latest> (or --at TIME).' };
      const backup = backupWord
        ? readBackupRef(backupWord)
        : { ok: true as const, value: { kind: 'latest' as const } };
      if (backup.ok && backup.value.kind === 'id' && hasFlag(a, 'at')) {
        return {
          ok: false,
          message: '--at picks the backup by time; give `latest` or no backup id with it, not both.',
        };
      }
      if (!hasFlag(a, 'reason'))
        return { ok: false, message: 'A restore needs --reason "why", for the approver and the audit log.' };
      return withName(
        'restore',
        allOf({
          connection: positional(a, 0, readConnection),
          backup,
          at,
          includePreRestore: { ok: true, value: hasFlag(a, 'include-pre-restore') || undefined },
          only: sectionsFlag(a),
          noDeletes: { ok: true, value: hasFlag(a, 'no-deletes') },
          breakGlass: { ok: true, value: hasFlag(a, 'break-glass') },
          reason: textFlag(a, 'reason') as Read<string>,
        }),
      );
    },
  },
  {
    name: 'approve',
    usage: '/kong approve <request-id>',
    summary: "Approve someone else's restore request (approvers only).",
    details: ['The Approve button on the request card does the same.'],
    positionals: [{ name: '<request-id>' }],
    flags: [],
    build: idCommand('approve', 'request id'),
  },
  {
    name: 'reject',
    usage: '/kong reject <request-id>',
    summary: 'Reject a restore request (approvers only).',
    details: [],
    positionals: [{ name: '<request-id>' }],
    flags: [],
    build: idCommand('reject', 'request id'),
  },
  {
    name: 'cancel',
    usage: '/kong cancel <request-id>',
    summary: 'Cancel your own restore request before it runs (or any, as admin).',
    details: [],
    positionals: [{ name: '<request-id>' }],
    flags: [],
    build: idCommand('cancel', 'request id'),
  },
];

export function commandSpec(name: CommandName): CommandSpec {
  return COMMANDS.find((c) => c.name === name)!;
}
