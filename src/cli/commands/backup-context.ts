/**
 * What the backup-service verbs share: where the config comes from (`--config`, `SNAPGATE_CONFIG`,
 * `./snapgate.yml`), turning a ConfigError into every problem on stderr, who the CLI acts as
 * (`cli:<os user>` in the audit log), and opening/closing the services around one verb.
 */
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { SILENT_NOTIFIER, UnknownConnectionError } from '../../app/index.ts';
import { createServices, type Runtime as Services } from '../../compose/index.ts';
import { type Config, ConfigError, loadConfig } from '../../config/index.ts';
import { CliError } from '../errors.ts';

export interface ConfigFlag {
  config?: string;
}

export function addConfigOption(cmd: Command): Command {
  return cmd.option(
    '-c, --config <file>',
    'snapgate.yml to use (default: $SNAPGATE_CONFIG or ./snapgate.yml)',
  );
}

export function configPath(flags: ConfigFlag): string {
  return flags.config ?? process.env.SNAPGATE_CONFIG ?? 'snapgate.yml';
}

export async function loadCliConfig(flags: ConfigFlag): Promise<Config> {
  try {
    return await loadConfig({ path: configPath(flags) });
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message);
    throw err;
  }
}

/** `cli:<user>` as the audit log's actor pattern allows it. */
export function cliActor(): string {
  let name = 'unknown';
  try {
    name = userInfo().username;
  } catch {
    name = process.env.USER ?? 'unknown';
  }
  const clean = name.replace(/[^A-Za-z0-9._@-]/g, '_').slice(0, 64) || 'unknown';
  return `cli:${clean}`;
}

/** Opens the services, runs the verb, always closes them; a refused connection name is a CliError. */
export async function withServices<T>(
  flags: ConfigFlag,
  run: (services: Services) => Promise<T>,
  options: { queues?: boolean } = {},
): Promise<T> {
  const config = await loadCliConfig(flags);
  let services: Services;
  try {
    services = await createServices({
      config,
      notifier: SILENT_NOTIFIER,
      withoutQueues: options.queues !== true,
    });
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  try {
    return await run(services);
  } catch (err) {
    if (err instanceof UnknownConnectionError) throw new CliError(err.message);
    throw err;
  } finally {
    await services.close();
  }
}

export function formatBytes(n: number | null): string {
  if (n === null) return '-';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export function formatTime(d: Date | null): string {
  return d
    ? d
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, 'Z')
    : '-';
}

export function parsePositiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new CliError(`${flag} must be a whole number of 1 or more (got "${value}")`);
  return n;
}
