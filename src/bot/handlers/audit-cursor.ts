/**
 * The audit query a "Next page" button carries: filters (since as an absolute time, so every page uses
 * the same window), page size, page number and the sequence number to continue below. Opaque to the
 * user (base64url JSON) but not secret and not trusted: the click handler validates it with zod and
 * re-checks the clicker's role before running it.
 */
import { z } from 'zod';

export interface AuditCursor {
  connection?: string;
  actor?: string;
  action?: string;
  /** epoch ms */
  since?: number;
  limit: number;
  page: number;
  beforeSeq: number;
}

const cursorSchema = z.strictObject({
  c: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/)
    .optional(),
  u: z
    .string()
    .regex(/^[UW][A-Z0-9]{2,}$/)
    .optional(),
  a: z
    .string()
    .regex(/^[a-z][a-z0-9_.:*-]{0,64}$/)
    .optional(),
  s: z.number().int().nonnegative().optional(),
  l: z.number().int().min(1).max(100),
  p: z.number().int().min(2).max(100_000),
  b: z.number().int().positive(),
});

export function encodeCursor(c: AuditCursor): string {
  const raw: z.infer<typeof cursorSchema> = { l: c.limit, p: c.page, b: c.beforeSeq };
  if (c.connection) raw.c = c.connection;
  if (c.actor) raw.u = c.actor;
  if (c.action) raw.a = c.action;
  if (c.since !== undefined) raw.s = c.since;
  return Buffer.from(JSON.stringify(raw)).toString('base64url');
}

/** `null` for anything that is not a cursor this bot made (edited or garbage values). */
export function decodeCursor(value: string): AuditCursor | null {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
    if (!parsed.success) return null;
    const r = parsed.data;
    const c: AuditCursor = { limit: r.l, page: r.p, beforeSeq: r.b };
    if (r.c) c.connection = r.c;
    if (r.u) c.actor = r.u;
    if (r.a) c.action = r.a;
    if (r.s !== undefined) c.since = r.s;
    return c;
  } catch {
    return null;
  }
}

/** `restore` means the whole family `restore.*`; `restore.approved` is exact. */
export function actionFilter(action: string): string {
  return action.includes('.') ? action : `${action}.*`;
}
