export { AwsError } from './errors.ts';
export { Faults } from './faults.ts';
export { AWS_ID, IdSource } from './ids.ts';
export { DEFAULT_LIMIT, MAX_LIMIT } from './pagination.ts';
export { escapeSegment, unescapeSegment } from './patch.ts';
export { generateAccount, type PetstoreIds, seedPetstore } from './seed.ts';
export {
  type AwsApiGatewaySim,
  type AwsApiGatewaySimOptions,
  type AwsApiGatewaySimState,
  createRouter,
  startAwsApiGatewaySim,
} from './server.ts';
export { Store } from './store.ts';
