import { describe, expect, it } from 'vitest';
import {
  COMMAND_NAMES,
  COMMANDS,
  GENERAL_USAGE,
  helpText,
  type KongCommand,
  parseKongCommand,
  type SlackEscape,
  tokenize,
  usageOf,
} from '../../../src/bot/grammar/index.ts';
import { SECTIONS } from '../../../src/core/index.ts';

const DAY = 86_400_000;

const VALID: [string, KongCommand][] = [
  ['', { name: 'help' }],
  ['   ', { name: 'help' }],
  ['help', { name: 'help' }],
  ['HELP Restore', { name: 'help', topic: 'restore' }],
  ['--help', { name: 'help' }],
  ['backup prod -h', { name: 'help', topic: 'backup' }],
  ['connections', { name: 'connections' }],
  ['backup prod', { name: 'backup', connection: 'prod' }],
  [
    'backup prod --note "before 2.4 rollout"',
    { name: 'backup', connection: 'prod', note: 'before 2.4 rollout' },
  ],
  ["backup prod --note 'single quoted'", { name: 'backup', connection: 'prod', note: 'single quoted' }],
  ['backup prod --note “smart quotes”', { name: 'backup', connection: 'prod', note: 'smart quotes' }],
  ['backup prod --note ‘don’t panic’', { name: 'backup', connection: 'prod', note: "don't panic" }],
  ['backup prod --note=“eq form”', { name: 'backup', connection: 'prod', note: 'eq form' }],
  ['backup prod --note no quotes at all', { name: 'backup', connection: 'prod', note: 'no quotes at all' }],
  ['backup prod --note=first words', { name: 'backup', connection: 'prod', note: 'first words' }],
  [
    'backup prod --note "ping <@U42|alice> &amp; <!subteam^S9|@ops>"',
    {
      name: 'backup',
      connection: 'prod',
      note: 'ping @alice & @ops',
    },
  ],
  [
    'backup\u00a0prod\t--note\n"tabs,\u00a0nbsp and\nnewlines"',
    {
      name: 'backup',
      connection: 'prod',
      note: 'tabs, nbsp and newlines',
    },
  ],
  ['\u200bbackup prod', { name: 'backup', connection: 'prod' }],
  ['backup <http://prod.example.com|prod.example.com>', { name: 'backup', connection: 'prod.example.com' }],
  ['BACKUP Prod-EU_1', { name: 'backup', connection: 'Prod-EU_1' }],
  ['backups prod', { name: 'backups', connection: 'prod', limit: 10 }],
  ['backups prod --limit 5', { name: 'backups', connection: 'prod', limit: 5 }],
  ['backups prod --limit=100', { name: 'backups', connection: 'prod', limit: 100 }],
  ['rehearsals prod', { name: 'rehearsals', connection: 'prod', limit: 10 }],
  ['rehearsals prod --limit 3', { name: 'rehearsals', connection: 'prod', limit: 3 }],
  ['backups --limit 1 prod', { name: 'backups', connection: 'prod', limit: 1 }],
  [
    'show kong-prod-20261120-1400-manual-ab12cd',
    { name: 'show', id: 'kong-prod-20261120-1400-manual-ab12cd' },
  ],
  ['diff prod latest', { name: 'diff', connection: 'prod', backup: { kind: 'latest' } }],
  ['drift prod', { name: 'drift', connection: 'prod' }],
  ['DRIFT  staging-eu', { name: 'drift', connection: 'staging-eu' }],
  ['diff prod LATEST', { name: 'diff', connection: 'prod', backup: { kind: 'latest' } }],
  [
    'diff prod bk_01 --only plugins,routes',
    {
      name: 'diff',
      connection: 'prod',
      backup: { kind: 'id', id: 'bk_01' },
      only: ['plugins', 'routes'],
    },
  ],
  [
    'diff prod bk_01 --only "plugins, routes" --only consumer-groups --only plugins',
    {
      name: 'diff',
      connection: 'prod',
      backup: { kind: 'id', id: 'bk_01' },
      only: ['plugins', 'routes', 'consumer_groups'],
    },
  ],
  [
    'diff prod bk_01 —only Services',
    {
      name: 'diff',
      connection: 'prod',
      backup: { kind: 'id', id: 'bk_01' },
      only: ['services'],
    },
  ],
  ['verify bk_01', { name: 'verify', backupId: 'bk_01' }],
  ['status rq-7', { name: 'status', id: 'rq-7' }],
  ['audit', { name: 'audit', limit: 20 }],
  [
    'audit --connection prod --user <@U123ABC|bob> --action Restore --since 7d --limit 50',
    {
      name: 'audit',
      connection: 'prod',
      user: { id: 'U123ABC', label: 'bob' },
      action: 'restore',
      sinceMs: 7 * DAY,
      limit: 50,
    },
  ],
  ['audit --user=<@U123ABC>', { name: 'audit', user: { id: 'U123ABC' }, limit: 20 }],
  ['audit --user W0ABC12', { name: 'audit', user: { id: 'W0ABC12' }, limit: 20 }],
  ['audit --since 30m', { name: 'audit', sinceMs: 30 * 60_000, limit: 20 }],
  ['audit --since 12h', { name: 'audit', sinceMs: 12 * 3_600_000, limit: 20 }],
  ['audit --since 2w', { name: 'audit', sinceMs: 14 * DAY, limit: 20 }],
  ['audit --since "3 days"', { name: 'audit', sinceMs: 3 * DAY, limit: 20 }],
  [
    'restore prod latest --reason "bad rate limit"',
    {
      name: 'restore',
      connection: 'prod',
      backup: { kind: 'latest' },
      noDeletes: false,
      breakGlass: false,
      reason: 'bad rate limit',
    },
  ],
  [
    'restore prod bk_01 --only plugins --no-deletes --break-glass --reason checkout is down',
    {
      name: 'restore',
      connection: 'prod',
      backup: { kind: 'id', id: 'bk_01' },
      only: ['plugins'],
      noDeletes: true,
      breakGlass: true,
      reason: 'checkout is down',
    },
  ],
  [
    'restore prod --reason rollback --at "2026-11-20 14:00"',
    {
      name: 'restore',
      connection: 'prod',
      backup: { kind: 'latest' },
      at: { kind: 'local', text: '2026-11-20 14:00', date: '2026-11-20', time: '14:00' },
      noDeletes: false,
      breakGlass: false,
      reason: 'rollback',
    },
  ],
  [
    'restore prod latest --at=2028-02-29T23:59:30 --reason “leap”',
    {
      name: 'restore',
      connection: 'prod',
      backup: { kind: 'latest' },
      at: { kind: 'local', text: '2028-02-29 23:59:30', date: '2028-02-29', time: '23:59:30' },
      noDeletes: false,
      breakGlass: false,
      reason: 'leap',
    },
  ],
  [
    'restore prod latest --include-pre-restore --reason "the state before the restore"',
    {
      name: 'restore',
      connection: 'prod',
      backup: { kind: 'latest' },
      includePreRestore: true,
      noDeletes: false,
      breakGlass: false,
      reason: 'the state before the restore',
    },
  ],
  [
    'restore prod --at 2026-11-20T14:00:00+01:00 --reason x',
    {
      name: 'restore',
      connection: 'prod',
      backup: { kind: 'latest' },
      at: { kind: 'instant', text: '2026-11-20T14:00:00+01:00', epochMs: Date.UTC(2026, 10, 20, 13, 0, 0) },
      noDeletes: false,
      breakGlass: false,
      reason: 'x',
    },
  ],
  [
    'restore prod --at 2026-11-20T14:00Z --reason x',
    {
      name: 'restore',
      connection: 'prod',
      backup: { kind: 'latest' },
      at: { kind: 'instant', text: '2026-11-20T14:00Z', epochMs: Date.UTC(2026, 10, 20, 14, 0, 0) },
      noDeletes: false,
      breakGlass: false,
      reason: 'x',
    },
  ],
  [
    'restore prod latest --only=plugins --reason fix "it now"',
    {
      name: 'restore',
      connection: 'prod',
      backup: { kind: 'latest' },
      only: ['plugins'],
      noDeletes: false,
      breakGlass: false,
      reason: 'fix it now',
    },
  ],
  ['approve rq-7', { name: 'approve', requestId: 'rq-7' }],
  ['reject rq-7', { name: 'reject', requestId: 'rq-7' }],
  ['cancel rq-7', { name: 'cancel', requestId: 'rq-7' }],
];

describe('parseKongCommand: valid input', () => {
  it.each(VALID)('%j', (input, command) => {
    expect(parseKongCommand(input)).toEqual({ ok: true, command });
  });

  it('every command in the table has at least one valid example above', () => {
    const seen = new Set(VALID.map(([, c]) => c.name));
    expect([...seen].sort()).toEqual([...COMMAND_NAMES].sort());
  });
});

/** [input, message pattern, command the usage belongs to (undefined: general usage), suggestions] */
const INVALID: [string, RegExp, string | undefined, string[]?][] = [
  ['bakup prod', /Unknown command `bakup`\. Did you mean `backup`/, undefined, ['backup', 'backups']],
  ['restor prod', /Did you mean `restore`/, undefined, ['restore']],
  ['xyzzy', /^Unknown command `xyzzy`\.$/, undefined, []],
  ['--limit 5', /Start with a command/, undefined],
  ['backup prod --note "never closed', /quote \(".*never closed/, undefined],
  ['help bkup', /no command `bkup`\. Did you mean `backup`/, 'help', ['backup']],
  ['help backup extra', /Unexpected `extra`/, 'help'],
  ['connections prod', /Unexpected `prod`/, 'connections'],
  [
    'connections --limit 2',
    /Unknown option `--limit` for `connections`\. `connections` takes no options/,
    'connections',
  ],
  ['backup', /Missing <connection>/, 'backup'],
  ['backup prod staging', /Unexpected `staging` \(options start with --\)/, 'backup'],
  ['backup prod --not "x"', /Unknown option `--not`.*Did you mean `--note`/, 'backup', ['--note']],
  ['backup prod --note', /--note needs a value/, 'backup'],
  ['backup prod --note ""', /--note needs some text/, 'backup'],
  ['backup prod --note a --note b', /--note is given twice/, 'backup'],
  [`backup prod --note "${'x'.repeat(501)}"`, /keep it under 500/, 'backup'],
  ['backup <#C123|ops>', /`#ops` is a channel/, 'backup'],
  ['backup <@U1|bob>', /`@bob` is a person or group/, 'backup'],
  ['backup pr/od', /not a connection name/, 'backup'],
  ['backups', /Missing <connection>/, 'backups'],
  ['backups prod --limit', /--limit needs a value/, 'backups'],
  ['backups prod --limit 0', /--limit must be from 1 to 100, not 0/, 'backups'],
  ['backups prod --limit 101', /--limit must be from 1 to 100, not 101/, 'backups'],
  ['backups prod --limit ten', /--limit takes a whole number/, 'backups'],
  ['rehearsals', /needs a connection|<connection>/, 'rehearsals'],
  ['rehearsals prod --limit 0', /--limit must be from 1 to 100, not 0/, 'rehearsals'],
  ['backups prod --limit -3', /--limit needs a value|--limit takes a whole number/, 'backups'],
  ['show', /Missing <connection\|backup-id>/, 'show'],
  ['show bk/../etc', /not a connection or backup id/, 'show'],
  ['diff prod', /Missing <backup-id\|latest>/, 'diff'],
  ['drift', /Missing <connection>/, 'drift'],
  ['drift prod --note x', /Unknown option `--note` for `drift`/, 'drift'],
  [
    'diff prod latest --only plugin',
    /`plugin` is not a section\. Did you mean `plugins`/,
    'diff',
    ['plugins'],
  ],
  ['diff prod latest --only zzzz', /`zzzz` is not a section\. Sections: services, routes/, 'diff'],
  ['diff prod latest --only ,', /--only needs one or more sections/, 'diff'],
  ['diff prod latest --no-deletes', /Unknown option `--no-deletes` for `diff`/, 'diff'],
  ['verify', /Missing <backup-id>/, 'verify'],
  ['status', /Missing <id>/, 'status'],
  ['audit prod', /Unexpected `prod`/, 'audit'],
  ['audit --user @bob', /--user takes a mention/, 'audit'],
  ['audit --user <!subteam^S1|@ops>', /is a user group; --user takes one person/, 'audit'],
  ['audit --since 7y', /--since takes a duration/, 'audit'],
  ['audit --since 0d', /longer than zero/, 'audit'],
  ['audit --since 999999w', /at most 3650 days/, 'audit'],
  ['audit --action "re store"', /not an audit action name/, 'audit'],
  ['audit --limit 500', /--limit must be from 1 to 100/, 'audit'],
  ['audit --sinse 7d', /Did you mean `--since`/, 'audit', ['--since']],
  ['restore', /Missing <connection>/, 'restore'],
  ['restore prod', /Missing <backup-id\|latest> \(or --at TIME\)/, 'restore'],
  ['restore prod latest', /needs --reason/, 'restore'],
  ['restore prod latest --reason', /--reason needs a value/, 'restore'],
  ['restore prod latest --reason "  "', /--reason needs some text/, 'restore'],
  ['restore prod bk_01 --at "2026-11-20 14:00" --reason x', /--at picks the backup by time/, 'restore'],
  ['restore prod --at tomorrow --reason x', /--at takes a date and time/, 'restore'],
  ['restore prod --at "2026-02-30 10:00" --reason x', /is not a real date and time/, 'restore'],
  ['restore prod --at "2026-11-20 24:00" --reason x', /is not a real date and time/, 'restore'],
  ['restore prod --at 2026-11-20 --reason x', /--at takes a date and time/, 'restore'],
  ['restore prod latest --no-deletes=yes --reason x', /--no-deletes takes no value/, 'restore'],
  [
    'restore prod latest --only plugins,rutes --reason x',
    /`rutes` is not a section\. Did you mean `routes`/,
    'restore',
  ],
  ['restore prod latest --break-glass --break-glass --reason x', /--break-glass is given twice/, 'restore'],
  ['approve', /Missing <request-id>/, 'approve'],
  ['reject a b', /Unexpected `b`/, 'reject'],
  ['cancel', /Missing <request-id>/, 'cancel'],
];

describe('parseKongCommand: errors are values with the usage line', () => {
  it.each(INVALID)('%j', (input, message, command, suggestions) => {
    const r = parseKongCommand(input);
    if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.command)}`);
    expect(r.message).toMatch(message);
    expect(r.command).toBe(command);
    expect(r.usage).toBe(command ? usageOf(command as never) : GENERAL_USAGE);
    if (suggestions) expect(r.suggestions).toEqual(suggestions);
  });

  it('every command has at least one error case above', () => {
    const seen = new Set(INVALID.map(([, , c]) => c));
    for (const name of COMMAND_NAMES) expect(seen, name).toContain(name);
  });
});

describe('help and usage come from one table', () => {
  it('general help lists every command with its usage line', () => {
    const text = helpText();
    for (const spec of COMMANDS) expect(text).toContain(`\`${spec.usage}\``);
  });

  it.each(COMMAND_NAMES)('help for %s shows its usage and summary', (name) => {
    const spec = COMMANDS.find((c) => c.name === name)!;
    const text = helpText(name);
    expect(text.split('\n')[0]).toBe(`\`${spec.usage}\``);
    expect(text).toContain(spec.summary);
  });

  it('each usage line names every option the parser accepts for it', () => {
    for (const spec of COMMANDS) {
      for (const flag of spec.flags) expect(spec.usage, spec.name).toContain(`--${flag.name}`);
    }
  });

  it('every core section is accepted by --only', () => {
    const r = parseKongCommand(`diff prod latest --only ${SECTIONS.join(',')}`);
    expect(r.ok && r.command.name === 'diff' && r.command.only).toEqual([...SECTIONS]);
  });
});

describe('tokenize: what Slack sends becomes what the user typed', () => {
  const ESCAPES: [string, string, SlackEscape][] = [
    ['<@U1|bob>', '@bob', { kind: 'user', id: 'U1', label: 'bob' }],
    ['<@U1>', '@U1', { kind: 'user', id: 'U1' }],
    ['<!subteam^S123|@team>', '@team', { kind: 'usergroup', id: 'S123', label: '@team' }],
    ['<#C1|ops>', '#ops', { kind: 'channel', id: 'C1', label: 'ops' }],
    ['<!here>', '@here', { kind: 'special', name: 'here' }],
    ['<mailto:a@b.io|a@b.io>', 'a@b.io', { kind: 'link', url: 'mailto:a@b.io', label: 'a@b.io' }],
    ['<https://x.io>', 'https://x.io', { kind: 'link', url: 'https://x.io' }],
  ];
  it.each(ESCAPES)('%s reads as %s', (input, text, expected) => {
    const r = tokenize(input);
    expect(r).toEqual({
      ok: true,
      tokens: [
        {
          text,
          quoted: false,
          startsQuoted: false,
          escape: expected,
          escapes: [{ escape: expected, start: 0, end: text.length }],
        },
      ],
    });
  });

  it('keeps an apostrophe inside an unquoted word and decodes entities', () => {
    const r = tokenize("it's a &lt;b&gt; &amp; c");
    expect(r.ok && r.tokens.map((t) => t.text)).toEqual(["it's", 'a', '<b>', '&', 'c']);
  });
});
