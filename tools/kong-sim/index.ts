/** tools/kong-sim: a Kong 3.x Admin API simulator for tests, demos and benchmarks. */
export { Faults } from './faults.ts';
export { buildRegistry, type Edition } from './schema/index.ts';
export { type KongSim, type KongSimOptions, type KongSimState, startKongSim } from './server.ts';
export type { Store } from './store.ts';
