export * from './fill.ts';
export * from './preflight.ts';
export * from './types.ts';
export * from './validate.ts';
