/**
 * `snapgate config check [--config FILE]`: every problem in the file, or "ok" followed by any warnings
 * (every copy in one bucket or on one host). Opens nothing else.
 */
import type { Command } from 'commander';
import { ConfigError, loadConfig, storageWarnings } from '../../config/index.ts';
import { CliError } from '../errors.ts';
import { addConfigOption, type ConfigFlag, configPath } from './backup-context.ts';

export function registerConfig(program: Command): void {
  const config = program.command('config').description('snapgate.yml');
  addConfigOption(
    config.command('check').description('validate the config file and list every problem'),
  ).action(async (flags: ConfigFlag) => {
    try {
      const loaded = await loadConfig({ path: configPath(flags) });
      process.stdout.write(`ok: ${loaded.configPath} (${loaded.connections.length} connection(s))\n`);
      for (const warning of storageWarnings(loaded)) process.stdout.write(`warning: ${warning}\n`);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      process.stdout.write(`${err.message}\n`);
      throw new CliError(`${err.problems.length} problem(s) in ${err.configPath}`);
    }
  });
}
