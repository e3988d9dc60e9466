/**
 * `snapgate dump`: read a live gateway and write it as a decK 3.0 file with ids (stdout by default), so
 * a dump is both a backup and something `deck gateway sync` can take in an emergency.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { toDeckFile } from '../../core/deck/index.ts';
import { CliError } from '../errors.ts';
import { addKongOptions, connect, type KongFlags, parseSections, withClient } from '../kong-options.ts';

interface DumpFlags extends KongFlags {
  output?: string;
  format: string;
  only?: string;
}

export function registerDump(program: Command): void {
  addKongOptions(program.command('dump').description('write the live gateway configuration as a decK file'))
    .option('-o, --output <file>', 'file to write (default: stdout)')
    .option('--format <format>', 'yaml or json', 'yaml')
    .option('--only <sections>', 'comma list of sections to include')
    .action(async (flags: DumpFlags) => {
      if (flags.format !== 'yaml' && flags.format !== 'json')
        throw new CliError('--format must be yaml or json');
      const format = flags.format;
      const only = parseSections(flags.only);
      const { client, gateway } = await connect(flags);
      await withClient(client, async () => {
        const dumped = await client.dump({ gateway, only: only ?? null });
        if (dumped.meta.workspaces) {
          throw new CliError(
            `${client.address} is every workspace of the gateway (workspaces: in snapgate.yml) and a decK file holds one; take a backup and use snapgate artifact export --workspace <name>, or dump with --kong-url and --workspace`,
          );
        }
        const snapshot = dumped;
        const text = toDeckFile(snapshot, { format });
        if (!flags.output) {
          process.stdout.write(text);
          return;
        }
        try {
          await writeFile(flags.output, text, { mode: 0o600 });
        } catch (err) {
          throw new CliError(
            `cannot write ${flags.output}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
          );
        }
        const total = Object.values(snapshot.meta.counts).reduce((a, b) => a + (b ?? 0), 0);
        process.stderr.write(
          `dumped ${total} entities from ${client.address} (${client.product} ${gateway.version}) to ${flags.output}\n`,
        );
      });
    });
}
