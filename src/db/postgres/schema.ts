/**
 * The PostgreSQL schema (drizzle): the SQLite schema (`../schema.ts`) table for table, column for column,
 * with PostgreSQL's own types — `timestamptz(3)` for the millisecond times, `boolean`, `bigint` for byte
 * counts and audit positions, and `json` for structured values: kept as written, byte for byte, so keys
 * come back in the order they were stored (counts per kind are shown in that order) and the audit
 * details' text, which the hash chain covers, is never rewritten (jsonb would reorder and normalise it). `npm run db:generate` writes the migrations under
 * `drizzle-postgres/`; `test/integration/db/schema-agreement.test.ts` proves both dialects define the
 * same tables, columns, nullability, keys, indexes, checks and append-only behaviour.
 *
 * One table has no SQLite twin: `audit_head`, a single row holding the highest audit seq ever used.
 * Appenders lock it (`SELECT … FOR UPDATE`) to serialise the chain across processes, and it plays the part
 * of SQLite's `sqlite_sequence` high-water mark, so a removed tail is still noticed.
 */
import { type SQL, sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  json,
  type PgColumn,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { AUDIT_OUTCOMES } from '../../app/ports/audit-store.ts';
import type { CopyCheckResult } from '../../app/ports/backups.ts';
import { REHEARSAL_STATUSES } from '../../app/ports/rehearsals.ts';
import { APPROVAL_DECISIONS, STEP_STATUSES } from '../../app/ports/restores.ts';
import { ACTIVE_RESTORE_STATUSES, BACKUP_STATUS, BACKUP_TYPES, RESTORE_STATUS } from '../../core/status.ts';

/** `"col" IN ('a','b')` for a CHECK constraint; values are our own constants, never input. */
function oneOf(column: PgColumn, values: readonly string[]): SQL {
  const list = values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ');
  return sql`${sql.identifier(column.name)} IN (${sql.raw(list)})`;
}

function tuple<S extends string>(values: readonly S[]): [S, ...S[]] {
  return values as [S, ...S[]];
}

/** JavaScript Dates carry milliseconds; precision 3 stores exactly those. */
const ms = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: 'date' });
const big = (name: string) => bigint(name, { mode: 'number' });

export const backups = pgTable(
  'backups',
  {
    id: text('id').primaryKey(),
    connection: text('connection').notNull(),
    type: text('type', { enum: tuple(BACKUP_TYPES) }).notNull(),
    status: text('status', { enum: tuple(BACKUP_STATUS.statuses) })
      .notNull()
      .default('pending'),
    requestedBy: text('requested_by').notNull(),
    note: text('note'),
    environment: text('environment'),
    createdAt: ms('created_at').notNull(),
    startedAt: ms('started_at'),
    finishedAt: ms('finished_at'),
    attempts: integer('attempts').notNull().default(0),
    counts: json('counts').$type<Record<string, number>>(),
    bytes: big('bytes'),
    sha256: text('sha256'),
    contentSha256: text('content_sha256'),
    keyId: text('key_id'),
    artifactName: text('artifact_name'),
    unchangedFrom: text('unchanged_from'),
    failureReason: text('failure_reason'),
    /** FailureCode (src/app/ports/backups.ts); null before migration 0002 */
    failureCode: text('failure_code'),
    kongVersion: text('kong_version'),
    slackChannel: text('slack_channel'),
    slackTs: text('slack_ts'),
    prunedAt: ms('pruned_at'),
    /** when `gdpr erase` last rewrote the artifact (a new artifact replaced the old on every copy) */
    rewrittenAt: ms('rewritten_at'),
  },
  (t) => [
    check('backups_status_check', oneOf(t.status, BACKUP_STATUS.statuses)),
    check('backups_type_check', oneOf(t.type, BACKUP_TYPES)),
    index('backups_connection_created_idx').on(t.connection, t.createdAt),
    index('backups_status_idx').on(t.status),
    index('backups_artifact_idx').on(t.artifactName),
  ],
);

export const backupCopies = pgTable(
  'backup_copies',
  {
    backupId: text('backup_id')
      .notNull()
      .references(() => backups.id, { onDelete: 'cascade' }),
    target: text('target').notNull(),
    location: text('location').notNull(),
    sha256: text('sha256').notNull(),
    createdAt: ms('created_at').notNull(),
    verifiedAt: ms('verified_at'),
    verifyOk: boolean('verify_ok'),
    verifyProblem: text('verify_problem'),
  },
  (t) => [primaryKey({ columns: [t.backupId, t.target] })],
);

export const verifications = pgTable(
  'verifications',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    backupId: text('backup_id')
      .notNull()
      .references(() => backups.id, { onDelete: 'cascade' }),
    at: ms('at').notNull(),
    ok: boolean('ok').notNull(),
    results: json('results').$type<CopyCheckResult[]>().notNull(),
  },
  (t) => [index('verifications_backup_idx').on(t.backupId, t.at)],
);

export const auditEvents = pgTable(
  'audit_events',
  {
    seq: big('seq').primaryKey(),
    time: ms('time').notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    connection: text('connection'),
    targetId: text('target_id'),
    outcome: text('outcome', { enum: AUDIT_OUTCOMES }).notNull(),
    details: json('details').$type<Record<string, unknown>>().notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    check('audit_events_outcome_check', oneOf(t.outcome, AUDIT_OUTCOMES)),
    index('audit_events_connection_idx').on(t.connection, t.seq),
    index('audit_events_actor_idx').on(t.actor, t.seq),
    index('audit_events_action_idx').on(t.action, t.seq),
  ],
);

/** The chain's lock row and high-water mark (see the file comment); migration 0001 inserts the row. */
export const auditHead = pgTable(
  'audit_head',
  {
    id: smallint('id').primaryKey(),
    highestSeq: big('highest_seq').notNull().default(0),
  },
  (t) => [check('audit_head_single_row', sql`${sql.identifier(t.id.name)} = 1`)],
);

export const restores = pgTable(
  'restores',
  {
    id: text('id').primaryKey(),
    connection: text('connection').notNull(),
    backupId: text('backup_id')
      .notNull()
      .references(() => backups.id),
    requestedBy: text('requested_by').notNull(),
    reason: text('reason').notNull(),
    onlySections: json('only_sections').$type<string[]>(),
    noDeletes: boolean('no_deletes').notNull().default(false),
    breakGlass: boolean('break_glass').notNull().default(false),
    status: text('status', { enum: tuple(RESTORE_STATUS.statuses) })
      .notNull()
      .default('planned'),
    planHash: text('plan_hash'),
    liveFingerprint: text('live_fingerprint'),
    planSummary: json('plan_summary').$type<Record<string, unknown>>(),
    expiresAt: ms('expires_at').notNull(),
    approvedBy: text('approved_by'),
    preRestoreBackupId: text('pre_restore_backup_id').references(() => backups.id),
    failureReason: text('failure_reason'),
    /** FailureCode (src/app/ports/backups.ts); null before migration 0002 */
    failureCode: text('failure_code'),
    slackChannel: text('slack_channel'),
    slackTs: text('slack_ts'),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
    finishedAt: ms('finished_at'),
  },
  (t) => [
    check('restores_status_check', oneOf(t.status, RESTORE_STATUS.statuses)),
    index('restores_connection_created_idx').on(t.connection, t.createdAt),
    index('restores_status_idx').on(t.status),
    // One restore per connection at a time, enforced by the database itself.
    uniqueIndex('restores_one_active_per_connection')
      .on(t.connection)
      .where(oneOf(t.status, ACTIVE_RESTORE_STATUSES)),
  ],
);

export const restoreSteps = pgTable(
  'restore_steps',
  {
    restoreId: text('restore_id')
      .notNull()
      .references(() => restores.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    phase: text('phase').notNull(),
    op: text('op').notNull(),
    kind: text('kind').notNull(),
    entityId: text('entity_id').notNull(),
    name: text('name').notNull(),
    status: text('status', { enum: STEP_STATUSES }).notNull(),
    error: json('error').$type<Record<string, unknown>>(),
    at: ms('at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.restoreId, t.seq] }),
    check('restore_steps_status_check', oneOf(t.status, STEP_STATUSES)),
  ],
);

export const approvals = pgTable(
  'approvals',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    restoreId: text('restore_id')
      .notNull()
      .references(() => restores.id, { onDelete: 'cascade' }),
    approver: text('approver').notNull(),
    decision: text('decision', { enum: APPROVAL_DECISIONS }).notNull(),
    planHash: text('plan_hash').notNull(),
    at: ms('at').notNull(),
  },
  (t) => [
    check('approvals_decision_check', oneOf(t.decision, APPROVAL_DECISIONS)),
    index('approvals_restore_idx').on(t.restoreId),
  ],
);

/** Restore rehearsals (src/app/ports/rehearsals.ts): one running rehearsal per scratch target. */
export const rehearsals = pgTable(
  'rehearsals',
  {
    id: text('id').primaryKey(),
    connection: text('connection').notNull(),
    target: text('target').notNull(),
    backupId: text('backup_id')
      .notNull()
      .references(() => backups.id),
    requestedBy: text('requested_by').notNull(),
    status: text('status', { enum: tuple(REHEARSAL_STATUSES) })
      .notNull()
      .default('running'),
    startedAt: ms('started_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
    finishedAt: ms('finished_at'),
    durationMs: integer('duration_ms'),
    entities: integer('entities'),
    applied: integer('applied'),
    drift: integer('drift'),
    failureCode: text('failure_code'),
    failureReason: text('failure_reason'),
  },
  (t) => [
    check('rehearsals_status_check', oneOf(t.status, REHEARSAL_STATUSES)),
    index('rehearsals_connection_started_idx').on(t.connection, t.startedAt),
    uniqueIndex('rehearsals_one_running_per_target')
      .on(t.target)
      .where(oneOf(t.status, ['running'])),
  ],
);

/** Open alerts and the drift last posted, per connection and problem (src/app/watch). */
export const watchStates = pgTable(
  'watch_states',
  {
    connection: text('connection').notNull(),
    problem: text('problem').notNull(),
    fingerprint: text('fingerprint').notNull(),
    raisedAt: ms('raised_at').notNull(),
    notifiedAt: ms('notified_at').notNull(),
    repeats: integer('repeats').notNull().default(0),
    slackChannel: text('slack_channel'),
    slackTs: text('slack_ts'),
  },
  (t) => [primaryKey({ columns: [t.connection, t.problem] })],
);
