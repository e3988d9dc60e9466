/**
 * The gateway registry: which implementation of the gateway port a connection's `type` opens. One line
 * per gateway type; `kong` is the default type of every connection.
 */
import type { Gateway, GatewayErrorClass } from '../app/ports/gateway.ts';
import { classifyAwsError, openAwsGateway } from '../aws/index.ts';
import type { ConnectionConfig } from '../config/index.ts';
import {
  classifyKongError,
  classifyKonnectError,
  createKongClient,
  type KongClientOptions,
  kongGateway,
  openKongGateway,
  openKonnectGateway,
} from '../kong/index.ts';

export type GatewayOpener<C extends ConnectionConfig = ConnectionConfig> = (connection: C) => Gateway;

export interface GatewayImplementation<C extends ConnectionConfig = ConnectionConfig> {
  open: GatewayOpener<C>;
  /** the type's errors in the port's words; null for errors it does not own */
  classifyError(err: unknown): GatewayErrorClass | null;
}

type Registry = {
  readonly [T in ConnectionConfig['type']]: GatewayImplementation<Extract<ConnectionConfig, { type: T }>>;
};

export const GATEWAY_IMPLEMENTATIONS: Registry = {
  // before kong: Konnect words a refused token its own way, and falls back on Kong's reading otherwise
  konnect: { open: openKonnectGateway, classifyError: classifyKonnectError },
  kong: { open: openKongGateway, classifyError: classifyKongError },
  'aws-apigateway': { open: openAwsGateway, classifyError: classifyAwsError },
};

/** A fresh gateway for the connection (the caller closes it). */
export function openGateway(connection: ConnectionConfig): Gateway {
  const impl = GATEWAY_IMPLEMENTATIONS[connection.type] as GatewayImplementation | undefined;
  if (!impl)
    throw new Error(
      `connection ${connection.name}: unknown gateway type "${(connection as { type: string }).type}"`,
    );
  return impl.open(connection);
}

/** A Kong gateway from ad-hoc options (the CLI engine verbs' `--kong-url` flags). */
export function openKongGatewayAt(options: KongClientOptions): Gateway {
  return kongGateway(createKongClient(options));
}

/** Any registered gateway type's reading of `err`; null when no gateway threw it. */
export function classifyGatewayError(err: unknown): GatewayErrorClass | null {
  for (const impl of Object.values(GATEWAY_IMPLEMENTATIONS)) {
    const found = impl.classifyError(err);
    if (found) return found;
  }
  return null;
}
