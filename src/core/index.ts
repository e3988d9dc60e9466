export * from './catalogue/index.ts';
export * from './deck/index.ts';
export * from './model.ts';
export * from './snapshot.ts';
