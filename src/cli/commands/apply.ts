/**
 * `snapgate apply`: converge the live gateway on FILE. Prints the plan, asks on a terminal (refuses
 * without `--yes` when there is none), applies, then dumps and diffs again: exit 0 only when every step
 * applied and the re-diff is empty, so a script can trust the exit code.
 */
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { planOnGateway } from '../../app/plan-against-live.ts';
import type { ApplyResult, Gateway, GatewayInfo, GatewayPlanner } from '../../app/ports/gateway.ts';
import {
  type DeckImport,
  matchNaturalKeys,
  type Plan,
  type Section,
  type Snapshot,
} from '../../core/index.ts';
import { CliError } from '../errors.ts';
import {
  formatApplyFailures,
  formatApplyResult,
  formatPlan,
  plannedChanges,
  redactedJson,
  refusalMessage,
} from '../format-plan.ts';
import {
  addKongOptions,
  connectForFile,
  type KongFlags,
  parsePositiveInt,
  parseSections,
  readDeckFile,
  withClient,
} from '../kong-options.ts';

interface ApplyFlags extends KongFlags {
  only?: string;
  deletes: boolean;
  parallelism?: string;
  yes?: boolean;
  json?: boolean;
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

interface Run {
  client: Gateway;
  gateway: GatewayInfo;
  planning: GatewayPlanner;
  target: DeckImport;
  only: Section[] | undefined;
  noDeletes: boolean;
}

async function planAgainstLive(run: Run): Promise<{ current: Snapshot; plan: Plan }> {
  // the whole live gateway: parents outside --only still decide whether a reference dangles
  const live = await run.client.dump({ gateway: run.gateway });
  // entities the file gives no id take the id of the live entity they name (decK's natural keys)
  const match = (filled: Snapshot, current: Snapshot) =>
    matchNaturalKeys(filled, current, run.target.unkeyed, { byContent: !run.noDeletes }).target;
  const { plan, current } = await planOnGateway(
    run.planning,
    live,
    run.target.snapshot,
    { ...(run.only ? { only: run.only } : {}), noDeletes: run.noDeletes },
    match,
  );
  return { current, plan };
}

function applyWithInterrupt(
  run: Run,
  plan: Plan,
  current: Snapshot,
  parallelism: number,
): Promise<ApplyResult> {
  const controller = new AbortController();
  // First Ctrl-C stops new writes and lets in-flight ones finish, so the report stays true.
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  const transform = run.target.transform;
  return run.client
    .apply(plan, {
      parallelism,
      signal: controller.signal,
      current,
      ...(transform !== undefined ? { transform } : {}),
    })
    .finally(() => process.off('SIGINT', onSigint));
}

export function registerApply(program: Command): void {
  addKongOptions(program.command('apply').description('make the gateway match FILE'))
    .argument('<file>', 'decK file (yaml or json)')
    .option('--only <sections>', 'comma list of sections to restore; others stay untouched')
    .option('--no-deletes', 'create and update only; never delete')
    .option('--parallelism <n>', 'writes in flight at once', '10')
    .option('--yes', 'apply without asking')
    .option('--json', 'print plan, result and re-diff as JSON (secrets redacted)')
    .action(async (file: string, flags: ApplyFlags) => {
      const only = parseSections(flags.only);
      const parallelism = parsePositiveInt(flags.parallelism, '--parallelism', 10);
      const target = await readDeckFile(file);
      const { client, gateway } = await connectForFile(
        flags,
        file,
        target.snapshot.meta.workspace,
        parallelism,
      );
      await withClient(client, async () => {
        const planning = await client.planner(gateway);
        const run: Run = { client, gateway, planning, target, only, noDeletes: !flags.deletes };
        const { current, plan } = await planAgainstLive(run);
        const out = (text: string) => !flags.json && process.stdout.write(text);
        out(formatPlan(plan));
        if (plan.refusals.length > 0) throw new CliError(refusalMessage(plan));
        if (plan.steps.length === 0) {
          if (flags.json) process.stdout.write(redactedJson({ plan, result: null }));
          out('Nothing to apply: the gateway already matches.\n');
          return;
        }
        if (!flags.yes) {
          if (!process.stdin.isTTY)
            throw new CliError('refusing to apply without --yes: stdin is not a terminal');
          const where = `${client.address}${gateway.workspace ? ` (workspace ${gateway.workspace})` : ''}`;
          if (!(await confirm(`Apply ${plan.steps.length} writes to ${where}? [y/N] `))) {
            throw new CliError('apply cancelled; nothing was written');
          }
        }
        const result = await applyWithInterrupt(run, plan, current, parallelism);
        out(formatApplyResult(result));
        const after = await planAgainstLive(run);
        const converged = result.ok && plannedChanges(after.plan).length === 0;
        if (flags.json) {
          process.stdout.write(redactedJson({ plan, result, remaining: after.plan }));
        } else if (plannedChanges(after.plan).length === 0) {
          out('Re-diff: the gateway matches the file.\n');
        } else {
          out(`Re-diff: ${plannedChanges(after.plan).length} differences remain:\n${formatPlan(after.plan)}`);
        }
        if (!converged) {
          // the failure itself goes to stderr too, so a script that keeps only stderr still sees why
          const remaining = plannedChanges(after.plan).length;
          const why = [
            ...(result.ok ? [] : [formatApplyFailures(result)]),
            ...(remaining > 0
              ? [`re-diff: ${remaining} difference${remaining === 1 ? '' : 's'} remain`]
              : []),
          ];
          process.stderr.write(`snapgate: apply did not converge: ${why.join('; ')}\n`);
          process.exitCode = 1;
        }
      });
    });
}
