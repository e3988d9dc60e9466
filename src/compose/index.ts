/** src/compose — the composition root: builds every service from the config (records, gateways, stores, queues). */
export { classifyGatewayError, type GatewayOpener, openGateway, openKongGatewayAt } from './gateways.ts';
export { openRecords } from './records.ts';
export { type CreateServicesOptions, createServices, type Runtime } from './services.ts';
