export * from './stages.ts';
export * from './names.ts';
export * from './audit.ts';
export * from './money.ts';
export * from './contracts.ts';
export * from './workhours.ts';
export * from './outbox.ts';
