/**
 * Kong as the gateway port (`src/app/ports/gateway.ts`): one Admin API client per connection, and the
 * engine's functions (describe, health, dump, apply) behind the port's methods. The rest of snapgate
 * reaches Kong only through this object, built by the registry in `src/compose/gateways.ts`.
 */
import type { Gateway, GatewayErrorClass } from '../app/ports/gateway.ts';
import type { ConnectionConfig, KongConnectionConfig } from '../config/types.ts';
import { applyPlan } from './apply.ts';
import { createKongClient, type KongClient, type KongClientOptions } from './client.ts';
import { checkHealth, describeGateway } from './describe.ts';
import { dumpGateway, dumpInto } from './dump.ts';
import { KongApiError, KongAuthError, KongUnreachableError } from './errors.ts';
import { openGatewayPlanning } from './gateway-planning.ts';
import { openWorkspacesGateway } from './workspaces.ts';

/** Kong's errors in the port's words; null for anything else. */
export function classifyKongError(err: unknown): GatewayErrorClass | null {
  if (err instanceof KongAuthError) {
    const what =
      err.status === 401
        ? 'Kong rejected the admin token (401)'
        : `the admin token may not read the gateway (${err.status})`;
    return { code: 'gateway_auth', message: what, status: err.status, retryable: false };
  }
  if (err instanceof KongUnreachableError) {
    return { code: 'gateway_unreachable', message: err.message, status: null, retryable: true };
  }
  if (err instanceof KongApiError) {
    const retryable = err.status >= 500 || err.status === 429;
    return { code: 'gateway_error', message: err.message, status: err.status, retryable };
  }
  return null;
}

/** The gateway port over an existing Kong client (the caller's `close` closes it). */
export function kongGateway(client: KongClient): Gateway {
  return {
    type: 'kong',
    product: 'Kong',
    address: client.baseUrl,
    describe: () => describeGateway(client),
    health: () => checkHealth(client),
    dumpInto: (sink, options) => dumpInto(client, sink, options),
    dump: (options) => dumpGateway(client, options),
    planner: async (info) => openGatewayPlanning(client, info ?? (await describeGateway(client))),
    apply: (plan, options) => applyPlan(client, plan, options),
    classifyError: classifyKongError,
    close: () => client.close(),
  };
}

/** The Kong client a configured Kong connection describes (a connection of another type is refused). */
export function kongClientFor(connection: ConnectionConfig): KongClient {
  if (connection.type !== 'kong') {
    throw new TypeError(`connection ${connection.name} is of type ${connection.type}, not kong`);
  }
  return kongClientOf(connection);
}

function clientOptions(connection: KongConnectionConfig): KongClientOptions {
  return {
    url: connection.kongUrl,
    token: connection.token.reveal(),
    workspace: connection.workspace,
    ...(connection.tls ? { tls: connection.tls } : {}),
  };
}

function kongClientOf(connection: KongConnectionConfig): KongClient {
  return createKongClient(clientOptions(connection));
}

/**
 * The gateway port for a configured Kong connection: one workspace, or with `workspaces` every selected
 * workspace of a Kong Enterprise gateway in one backup (workspaces.ts).
 */
export function openKongGateway(connection: KongConnectionConfig): Gateway {
  if (connection.workspaces) return openWorkspacesGateway(connection, clientOptions(connection));
  return kongGateway(kongClientFor(connection));
}
