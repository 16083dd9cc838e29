export * from './clients.ts';
export * from './deals.ts';
export * from './audit.ts';
