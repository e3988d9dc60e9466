export { type ApplyOptions, applyPlan, PlanRefusedError } from './apply.ts';
export type { ApplyProgress, ApplyResult, StepError, StepResult, StepStatus } from './apply-result.ts';
export {
  createKongClient,
  type HttpMethod,
  type KongClient,
  type KongClientOptions,
  type KongResponse,
  type KongTlsOptions,
  type ListOptions,
  type RequestOptions,
  type RetryNotice,
  seg,
} from './client.ts';
export { checkHealth, describeGateway, type GatewayInfo, type HealthStatus } from './describe.ts';
export { type DumpOptions, type DumpProgress, dumpGateway, dumpInto, kindsFor } from './dump.ts';
export {
  KongAbortedError,
  KongApiError,
  KongAuthError,
  KongUnreachableError,
  SchemaUnavailableError,
} from './errors.ts';
export { classifyKongError, kongClientFor, kongGateway, openKongGateway } from './gateway.ts';
export { type GatewayPlanning, openGatewayPlanning } from './gateway-planning.ts';
export { KonnectControlPlaneError } from './konnect.ts';
export { classifyKonnectError, openKonnectGateway } from './konnect-gateway.ts';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.ts';
export { loadSchemasFor, readCapabilities, SchemaRegistry } from './schemas.ts';
