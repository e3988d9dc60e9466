/**
 * Kong Konnect as the gateway port: the Kong engine over a client of flavour `konnect` scoped to one
 * control plane (`/v2/control-planes/{id}/core-entities`, bearer token). The control plane is resolved
 * by name on first use (konnect.ts), once per gateway object; every port method waits for it.
 */
import type { Gateway, GatewayErrorClass, HealthStatus } from '../app/ports/gateway.ts';
import type { KonnectConnectionConfig } from '../config/types.ts';
import { applyPlan } from './apply.ts';
import { createKongClient, type KongClient, seg } from './client.ts';
import { type GatewayInfo, konnectGatewayInfo } from './describe.ts';
import { dumpGateway, dumpInto } from './dump.ts';
import { KongApiError, KongAuthError, KongUnreachableError } from './errors.ts';
import { classifyKongError } from './gateway.ts';
import { openGatewayPlanning } from './gateway-planning.ts';
import { type ControlPlane, KonnectControlPlaneError, resolveControlPlane } from './konnect.ts';

/** Konnect's errors in the port's words (its own wording for a refused token); null for anything else. */
export function classifyKonnectError(err: unknown): GatewayErrorClass | null {
  if (err instanceof KonnectControlPlaneError) {
    return { code: 'gateway_error', message: err.message, status: 404, retryable: false };
  }
  if (err instanceof KongAuthError && err.path.startsWith('/v2/control-planes')) {
    const what =
      err.status === 401
        ? 'Konnect rejected the access token (401): check that it is a valid, unexpired kpat_/spat_ token'
        : `the access token may not read this control plane (${err.status})`;
    return { code: 'gateway_auth', message: what, status: err.status, retryable: false };
  }
  return classifyKongError(err);
}

interface Scoped {
  controlPlane: ControlPlane;
  client: KongClient;
  info: GatewayInfo;
}

export function openKonnectGateway(connection: KonnectConnectionConfig): Gateway {
  const token = connection.token.reveal();
  const tls = connection.tls ? { tls: connection.tls } : {};
  const where = connection.region ? `Konnect region ${connection.region}` : connection.baseUrl;
  const root = createKongClient({ url: connection.baseUrl, bearerToken: token, flavour: 'konnect', ...tls });
  let scoped: Promise<Scoped> | undefined;
  let opened: KongClient | undefined;

  const ready = (): Promise<Scoped> => {
    scoped ??= resolveControlPlane(root, connection.controlPlane, where).then(
      (controlPlane) => {
        opened = createKongClient({
          url: connection.baseUrl,
          basePath: `/v2/control-planes/${seg(controlPlane.id)}/core-entities`,
          bearerToken: token,
          flavour: 'konnect',
          ...tls,
        });
        return { controlPlane, client: opened, info: konnectGatewayInfo(controlPlane) };
      },
      (err: unknown) => {
        scoped = undefined; // a later call may try again (the network, a rate limit)
        throw err;
      },
    );
    return scoped;
  };

  return {
    type: 'konnect',
    product: 'Kong Konnect',
    address: `${root.baseUrl} (control plane ${connection.controlPlane})`,
    describe: async () => (await ready()).info,
    async health(): Promise<HealthStatus> {
      try {
        const { controlPlane } = await ready();
        await root.get(`/v2/control-planes/${seg(controlPlane.id)}`, { root: true });
        return { ok: true, databaseReachable: null, configurationHash: null, message: null };
      } catch (err) {
        if (
          err instanceof KongUnreachableError ||
          err instanceof KongApiError ||
          err instanceof KonnectControlPlaneError
        ) {
          return { ok: false, databaseReachable: null, configurationHash: null, message: err.message };
        }
        throw err;
      }
    },
    async dumpInto(sink, options = {}) {
      const { client, info } = await ready();
      return dumpInto(client, sink, { ...options, gateway: info });
    },
    async dump(options = {}) {
      const { client, info } = await ready();
      return dumpGateway(client, { ...options, gateway: info });
    },
    async planner() {
      const { client, info } = await ready();
      return openGatewayPlanning(client, info);
    },
    async apply(plan, options) {
      const { client } = await ready();
      return applyPlan(client, plan, options);
    },
    classifyError: classifyKonnectError,
    close() {
      root.close();
      opened?.close();
    },
  };
}
