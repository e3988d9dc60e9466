/**
 * The gateway registry: which implementation of the gateway port a connection's `type` opens. One line
 * per gateway type; `kong` is the default type of every connection.
 */
import type { Gateway, GatewayErrorClass } from '../app/ports/gateway.ts';
import type { ConnectionConfig } from '../config/index.ts';
import {
  classifyKongError,
  createKongClient,
  type KongClientOptions,
  kongGateway,
  openKongGateway,
} from '../kong/index.ts';

export type GatewayOpener = (connection: ConnectionConfig) => Gateway;

export interface GatewayImplementation {
  open: GatewayOpener;
  /** the type's errors in the port's words; null for errors it does not own */
  classifyError(err: unknown): GatewayErrorClass | null;
}

export const GATEWAY_IMPLEMENTATIONS: Readonly<Record<ConnectionConfig['type'], GatewayImplementation>> = {
  kong: { open: openKongGateway, classifyError: classifyKongError },
};

/** A fresh gateway for the connection (the caller closes it). */
export function openGateway(connection: ConnectionConfig): Gateway {
  const impl = GATEWAY_IMPLEMENTATIONS[connection.type];
  if (!impl) throw new Error(`connection ${connection.name}: unknown gateway type "${connection.type}"`);
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
