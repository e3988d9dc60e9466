export * from './canonical.ts';
export * from './catalogue/index.ts';
export * from './model.ts';
export * from './normalize.ts';
export * from './snapshot.ts';
