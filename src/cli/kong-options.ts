/**
 * Shared plumbing of the engine verbs (dump, diff, apply): the Kong connection flags with their
 * environment fallbacks, `--only` parsing, reading a decK file, and turning the engine's typed errors
 * into the one-line `CliError` the user sees. Nothing here writes to Kong.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Gateway, GatewayInfo } from '../app/ports/gateway.ts';
import { findConnection, UnknownConnectionError } from '../app/services.ts';
import { classifyGatewayError, openGateway, openKongGatewayAt } from '../compose/gateways.ts';
import { DeckFileError, type DeckImport, importDeckFile } from '../core/deck/index.ts';
import {
  ALL_SECTIONS,
  CATALOGUES,
  isSection,
  type OnlyEntry,
  PlanRefusedError,
  type Section,
  scopedOnlyEntry,
  workspaceMismatch,
  workspaceName,
} from '../core/index.ts';
import { loadCliConfig } from './commands/backup-context.ts';
import { CliError } from './errors.ts';

export interface KongFlags {
  /** a connection from snapgate.yml instead of the --kong-* flags */
  connection?: string;
  config?: string;
  kongUrl?: string;
  kongToken?: string;
  workspace?: string;
  kongCaFile?: string;
  kongInsecure?: boolean;
  timeout?: string;
}

export function addKongOptions(cmd: Command): Command {
  return cmd
    .option(
      '--connection <name>',
      'a connection from snapgate.yml (type, URL, token, TLS) instead of --kong-url',
    )
    .option(
      '-c, --config <file>',
      'snapgate.yml for --connection (default: $SNAPGATE_CONFIG or ./snapgate.yml)',
    )
    .option('--kong-url <url>', 'Kong Admin API URL (env SNAPGATE_KONG_URL)')
    .option('--kong-token <token>', 'Kong-Admin-Token for RBAC-protected gateways (env SNAPGATE_KONG_TOKEN)')
    .option('--workspace <name>', 'Kong Enterprise workspace')
    .option('--kong-ca-file <file>', 'PEM CA bundle that signed the Admin API certificate')
    .option('--kong-insecure', 'skip TLS certificate verification (lab gateways only)')
    .option('--timeout <seconds>', 'per-request timeout in seconds', '30');
}

/**
 * `a,b` → sections of any gateway type, every unknown name reported at once. Which of them a connection
 * takes (Kong's on Kong, AWS's on AWS API Gateway) is checked where the connection is known
 * (`requestRestore`, the planner).
 */
export function parseSections(value: string | undefined): Section[] | undefined {
  if (value === undefined) return undefined;
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(ALL_SECTIONS as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0) {
    const valid = Object.values(CATALOGUES)
      .map((c) => `${c.sections.join(', ')} (${c.title})`)
      .join('; ');
    throw new CliError(
      `unknown section${unknown.length === 1 ? '' : 's'} ${unknown.map((u) => `"${u}"`).join(', ') || '(empty)'} in --only; valid sections: ${valid}`,
    );
  }
  return [...new Set(names)] as Section[];
}

/**
 * `--only` of a diff or restore: sections, and for a connection with several workspaces also
 * `team-a/plugins` (a section of one workspace) and `team-a/*` (the whole workspace).
 */
export function parseOnly(value: string | undefined): OnlyEntry[] | undefined {
  if (value === undefined) return undefined;
  const words = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const scoped = words.map((w) => scopedOnlyEntry(w, isSection));
  const rest = words.filter((_, i) => scoped[i] === null);
  const sections = rest.length > 0 || words.length === 0 ? parseSections(rest.join(',')) : [];
  return [...new Set([...(sections ?? []), ...scoped.filter((s) => s !== null)])];
}

export function parsePositiveInt(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new CliError(`${flag} must be an integer between 1 and 1000`);
  return n;
}

export function openClient(flags: KongFlags, parallelism = 10): Gateway {
  const url = flags.kongUrl ?? process.env.SNAPGATE_KONG_URL;
  if (!url) throw new CliError('no Kong Admin API URL: pass --kong-url or set SNAPGATE_KONG_URL');
  const token = flags.kongToken ?? process.env.SNAPGATE_KONG_TOKEN;
  const timeout = Number(flags.timeout ?? '30');
  if (!Number.isFinite(timeout) || timeout <= 0)
    throw new CliError('--timeout must be a positive number of seconds');
  try {
    return openKongGatewayAt({
      url,
      token: token || undefined,
      workspace: flags.workspace,
      timeoutMs: Math.round(timeout * 1000),
      maxSockets: parallelism + 2,
      tls: {
        ...(flags.kongCaFile ? { caFile: flags.kongCaFile } : {}),
        insecure: flags.kongInsecure === true,
      },
    });
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
}

/** The gateway of a configured connection, opened through the registry as the services open it. */
async function openConnection(flags: KongFlags): Promise<Gateway> {
  if (flags.kongUrl || flags.kongToken || flags.workspace) {
    throw new CliError(
      '--connection takes the URL, token and workspace from snapgate.yml: drop the --kong-* flags',
    );
  }
  const config = await loadCliConfig(flags);
  try {
    return openGateway(findConnection(config, flags.connection ?? ''));
  } catch (err) {
    if (err instanceof UnknownConnectionError) throw new CliError(err.message);
    throw err;
  }
}

/** Connect and identify the gateway: the first call, so a wrong URL or token fails before anything else. */
export async function connect(
  flags: KongFlags,
  parallelism?: number,
): Promise<{ client: Gateway; gateway: GatewayInfo }> {
  const client = flags.connection ? await openConnection(flags) : openClient(flags, parallelism);
  try {
    return { client, gateway: await client.describe() };
  } catch (err) {
    client.close();
    throw asCliError(err);
  }
}

/**
 * The workspace a file is diffed against or applied to: the file's `_workspace` unless `--workspace` names
 * it too. The two disagreeing is refused (nothing is read from or written to the gateway), so a workspace's
 * file never lands in another workspace, `default` included.
 */
export function fileWorkspace(
  file: string,
  declared: string | null,
  flag: string | undefined,
): string | undefined {
  if (declared === null) return flag;
  if (flag !== undefined && flag !== declared) {
    throw new CliError(
      `${file} is for workspace "${declared}" (_workspace) but --workspace ${flag} was given; nothing was done`,
    );
  }
  return declared;
}

/**
 * Connect for a file's diff or apply. With `--kong-url` the file's `_workspace` is the workspace to connect
 * to (`fileWorkspace`). With `--connection` the connection's workspace is the one snapgate.yml names, and a
 * file declaring another is refused before anything is read (nothing written): `_workspace: default` and
 * a connection without a workspace are the same place.
 */
export async function connectForFile(
  flags: KongFlags,
  file: string,
  declared: string | null,
  parallelism?: number,
): Promise<{ client: Gateway; gateway: GatewayInfo }> {
  if (!flags.connection) {
    return connect({ ...flags, workspace: fileWorkspace(file, declared, flags.workspace) }, parallelism);
  }
  const connected = await connect(flags, parallelism);
  if (declared !== null && workspaceMismatch(declared, connected.gateway.workspace)) {
    connected.client.close();
    throw new CliError(
      `${file} is for workspace "${declared}" (_workspace) but connection ${flags.connection} reaches workspace "${workspaceName(connected.gateway.workspace)}"; nothing was done`,
    );
  }
  return connected;
}

/**
 * Read and parse a decK file; any problem is one line naming the file. The result says which ids the file
 * did not carry, for natural-key matching against the live gateway (`matchNaturalKeys`).
 */
export async function readDeckFile(file: string): Promise<DeckImport> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? String(err));
    throw new CliError(`cannot read ${file}: ${why}`);
  }
  try {
    return importDeckFile(text);
  } catch (err) {
    if (err instanceof DeckFileError) throw new CliError(`${file}: ${err.message}`);
    throw new CliError(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The engine's typed errors as a one-line CliError; anything unexpected keeps its stack. */
export function asCliError(err: unknown): unknown {
  if (err instanceof CliError) return err;
  if (classifyGatewayError(err) || err instanceof PlanRefusedError)
    return new CliError((err as Error).message);
  return err;
}

/** Run a verb's body, closing the client and translating errors. */
export async function withClient<T>(client: Gateway, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw asCliError(err);
  } finally {
    client.close();
  }
}
