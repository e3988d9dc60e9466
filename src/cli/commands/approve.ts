/**
 * `snapgate approve <request-id> --plan <hash> --as <user> [--wait]`: approves exactly the plan the
 * approver reviewed, under the same rules as the Slack button (whose click carries the hash of the card
 * it was on): `--plan` is the plan hash `restore` / `restores show` printed (or a prefix of at least 12
 * hex characters), `--as` must differ from the requester and hold `approver` (or `admin`) for the
 * connection in snapgate.yml's `roles`, and prove it with their own credential (`--credential-file` /
 * `--credential-env`, matched against `approvers[]`; the audit records the proof) — whoever asked for
 * the restore can never approve it, break-glass or not. The request must be awaiting approval and unexpired. A missing or
 * stale hash is refused and the plan awaiting approval is printed instead, so nobody approves a plan they
 * have not seen. The audit log records `cli:<os user>` as the actor, the `--as` user as the approver and
 * the approved plan hash. `--wait` follows the restore to its end (exit 1 unless it completed); when the
 * gateway changed before the first write, the new plan is printed and must be approved by its own hash.
 */
import type { Command } from 'commander';
import {
  type Authorize,
  approveRestore,
  lookupConnection,
  proveApprover,
  type Services,
} from '../../app/index.ts';
import type { Restore } from '../../app/ports/records.ts';
import type { Config } from '../../config/index.ts';
import { RESTORE_STATUS } from '../../core/status.ts';
import { CliError, failedRecordError } from '../errors.ts';
import { readPrivateFile } from '../private-file.ts';
import {
  approveHint,
  describeRestore,
  formatStoredPlan,
  PLAN_PREFIX_CHARS,
  shortPlan,
} from '../restore-view.ts';
import {
  addConfigOption,
  type ConfigFlag,
  cliActor,
  parsePositiveInt,
  withServices,
} from './backup-context.ts';

export interface CredentialFlags {
  credentialFile?: string;
  credentialEnv?: string;
}

interface ApproveFlags extends ConfigFlag, CredentialFlags {
  as?: string;
  plan?: string;
  wait?: boolean;
  timeout: string;
}

/** The approver's credential from --credential-file (checked like a key file) or --credential-env. */
export async function readCredential(flags: CredentialFlags): Promise<string | null> {
  if (flags.credentialFile) {
    return readPrivateFile(flags.credentialFile, 'approver credential').catch((err: Error) => {
      throw new CliError(err.message);
    });
  }
  if (flags.credentialEnv) {
    const value = process.env[flags.credentialEnv];
    if (!value) throw new CliError(`environment variable ${flags.credentialEnv} is not set`);
    return value;
  }
  return null;
}

/** Role lists from the config: admins hold every approver right too (src/bot/auth/roles.ts order). */
export function configAuthorize(config: Config): Authorize {
  return async (connection, user, role) => {
    const roles = lookupConnection(config, connection)?.roles;
    if (!roles) return false;
    return role === 'admin' ? roles.admin.includes(user) : [...roles.approver, ...roles.admin].includes(user);
  };
}

const PLAN_HASH = new RegExp(`^[0-9a-f]{${PLAN_PREFIX_CHARS},64}$`);

async function waitForEnd(services: Services, id: string, timeoutMs: number): Promise<Restore> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await services.repos.restores.get(id);
    if (r && (RESTORE_STATUS.isTerminal(r.status) || r.status === 'awaiting_approval')) return r;
    if (Date.now() > until) {
      throw new CliError(
        `restore ${id} is still ${r?.status ?? 'unknown'} (is a worker running? snapgate worker)`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export function registerApprove(program: Command): void {
  addConfigOption(
    program.command('approve <request-id>').description("approve someone else's restore request"),
  )
    .option(
      '--plan <hash>',
      `the plan hash you reviewed (restore / restores show print it; ${PLAN_PREFIX_CHARS}+ hex characters)`,
    )
    .option('--as <user>', 'the approver (a user id listed under roles.approver or roles.admin)')
    .option(
      '--credential-file <file>',
      "the approver's own credential (approvers: in snapgate.yml holds its SHA-256); proves --as",
    )
    .option('--credential-env <var>', "environment variable holding the approver's credential")
    .option('--wait', 'wait for the restore to finish and print its result (exit 1 unless it completed)')
    .option('--timeout <seconds>', 'with --wait: give up waiting after this long', '1800')
    .action(async (id: string, flags: ApproveFlags) => {
      const approver = flags.as?.trim();
      if (!approver) throw new CliError('--as <user> is required: who approves this restore');
      const given = flags.plan?.trim().toLowerCase();
      if (given !== undefined && !PLAN_HASH.test(given)) {
        throw new CliError(
          `--plan takes the plan hash that restore or restores show printed (at least ${PLAN_PREFIX_CHARS} hex characters), not "${flags.plan}"`,
        );
      }
      const timeoutMs = parsePositiveInt(flags.timeout, '--timeout') * 1000;
      const credential = await readCredential(flags);
      await withServices(
        flags,
        async (services) => {
          const restore = await services.repos.restores.get(id);
          if (!restore) throw new CliError(`not approved: restore ${id} does not exist`);
          if (given === undefined) {
            process.stdout.write(formatStoredPlan(restore) + approveHint(restore));
            throw new CliError(
              `not approved: --plan <hash> is required, the hash of the plan you reviewed (printed above; snapgate restores show ${id})`,
            );
          }
          // A prefix names the current plan only if it is one; anything else is refused as a changed plan.
          const planHash = restore.planHash?.startsWith(given) ? restore.planHash : given;
          // --as is a claim; the approver's own credential proves it (refusals are audited like the others)
          const { proof, sameAs } = proveApprover(services.config, approver, credential);
          const decision = await approveRestore(services, {
            restoreId: id,
            approver,
            planHash,
            authorize: configAuthorize(services.config),
            actor: cliActor(),
            proof,
            sameAs,
          });
          if (!decision.ok && decision.refusal === 'plan_changed') {
            const now = (await services.repos.restores.get(id)) ?? restore;
            process.stdout.write(formatStoredPlan(now) + approveHint(now));
            throw new CliError(
              `not approved: the plan changed since the one you reviewed (${given}); the plan awaiting approval is printed above — review it and approve it by its hash`,
            );
          }
          if (!decision.ok) throw new CliError(`not approved: ${decision.message}`);
          process.stdout.write(
            `restore ${id} approved by ${approver} (plan ${shortPlan(planHash)}); queued\n`,
          );
          if (!flags.wait) return;
          const end = await waitForEnd(services, id, timeoutMs);
          if (end.status === 'awaiting_approval') {
            process.stdout.write(formatStoredPlan(end) + approveHint(end));
            throw new CliError(
              'the gateway changed after the approval, before anything was written; nothing was applied. The new plan is printed above and needs its own approval',
            );
          }
          process.stdout.write(`${describeRestore(end)}\n`);
          if (end.status !== 'completed') {
            throw failedRecordError(`restore ${id} ended ${end.status}`, end);
          }
        },
        { queues: true },
      );
    });
}
