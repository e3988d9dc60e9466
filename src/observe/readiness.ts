/**
 * Readiness checks: each names one part a request or job needs (the database, Redis, a copy target, the
 * Slack connection) and says whether it answers now. `runChecks` runs them at once with a time limit each,
 * so one hung dependency makes `/readyz` answer 503 in bounded time instead of hanging the probe.
 */

export interface CheckResult {
  ok: boolean;
  /** why not, in words (shown as `/readyz`'s status when this is the first failing check) */
  reason?: string;
  details?: Record<string, unknown>;
}

export interface ReadinessCheck {
  /** e.g. `database`, `redis`, `storage:primary`, `slack` */
  name: string;
  check(): Promise<CheckResult> | CheckResult;
}

export interface Readiness {
  ok: boolean;
  /** `ready`, or the first failing check's reason */
  status: string;
  checks: Record<string, { ok: boolean } & Record<string, unknown>>;
}

export const CHECK_TIMEOUT_MS = 3000;

/** A check that passes when `probe` resolves; its error message becomes the reason, prefixed by `name`. */
export function probeCheck(name: string, probe: () => Promise<unknown>): ReadinessCheck {
  return {
    name,
    async check() {
      try {
        await probe();
        return { ok: true };
      } catch (err) {
        const message = (err instanceof Error ? err.message : String(err)).split('\n')[0];
        return { ok: false, reason: `${name}: ${message}` };
      }
    },
  };
}

async function within(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, reason: `${check.name}: no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([
      Promise.resolve()
        .then(() => check.check())
        .catch((err: unknown) => ({ ok: false, reason: `${check.name}: ${(err as Error).message}` })),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export async function runChecks(
  checks: readonly ReadinessCheck[],
  timeoutMs = CHECK_TIMEOUT_MS,
): Promise<Readiness> {
  const results = await Promise.all(
    checks.map(async (c) => ({ name: c.name, ...(await within(c, timeoutMs)) })),
  );
  const failing = results.find((r) => !r.ok);
  return {
    ok: !failing,
    status: failing ? (failing.reason ?? `${failing.name} not ready`) : 'ready',
    checks: Object.fromEntries(
      results.map((r) => [r.name, { ok: r.ok, ...(r.ok ? {} : { reason: r.reason }), ...r.details }]),
    ),
  };
}
