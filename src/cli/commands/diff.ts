/**
 * `snapgate diff`: what a restore of FILE would change on the live gateway. It is the restore planner
 * run dry (one planner, as decK's diff is sync with dry=true), so what it prints is what `apply` does.
 */
import type { Command } from 'commander';
import { planOnGateway } from '../../app/plan-against-live.ts';
import { matchNaturalKeys } from '../../core/index.ts';
import { formatPlan, plannedChanges, redactedJson, refusalMessage } from '../format-plan.ts';
import {
  addKongOptions,
  connectForFile,
  type KongFlags,
  parseOnly,
  readDeckFile,
  withClient,
} from '../kong-options.ts';

interface DiffFlags extends KongFlags {
  only?: string;
  deletes: boolean;
  json?: boolean;
  exitCode?: boolean;
}

export function registerDiff(program: Command): void {
  addKongOptions(program.command('diff').description('show what restoring FILE would change on the gateway'))
    .argument('<file>', 'decK file (yaml or json)')
    .option('--only <sections>', 'comma list of sections to compare')
    .option('--no-deletes', 'ignore entities that exist only on the gateway')
    .option('--json', 'print the plan as JSON (secrets redacted)')
    .option('--exit-code', 'exit 0 when there are no changes, 2 when there are, 1 on errors')
    .action(async (file: string, flags: DiffFlags) => {
      const only = parseOnly(flags.only);
      const target = await readDeckFile(file);
      const { client, gateway } = await connectForFile(flags, file, target.snapshot.meta.workspace);
      await withClient(client, async () => {
        // the whole live gateway: parents outside --only still decide whether a reference dangles
        const [planning, live] = await Promise.all([client.planner(gateway), client.dump({ gateway })]);
        // entities the file gives no id take the id of the live entity they name (decK's natural keys)
        const { plan } = await planOnGateway(
          planning,
          live,
          target.snapshot,
          { ...(only ? { only } : {}), noDeletes: !flags.deletes },
          (filled, current) =>
            matchNaturalKeys(filled, current, target.unkeyed, { byContent: flags.deletes }).target,
        );
        process.stdout.write(flags.json ? redactedJson(plan) : formatPlan(plan));
        // a plan the gateway would refuse is worth a line where scripts look for problems
        if (plan.refusals.length > 0)
          process.stderr.write(`snapgate: ${refusalMessage(plan, 'apply would refuse this plan')}\n`);
        if (flags.exitCode) process.exitCode = plannedChanges(plan).length > 0 ? 2 : 0;
      });
    });
}
