export { type AwsApplyResult, applyAwsPlan, type IdMapping } from './apply.ts';
export { addressOf, apiGatewayClientFor } from './client.ts';
export { AWS_VERSION, dumpInto } from './dump.ts';
export { AwsGatewayError, classifyAwsError } from './errors.ts';
export { openAwsGateway } from './gateway.ts';
