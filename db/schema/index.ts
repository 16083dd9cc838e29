export * from './clients.ts';
export * from './deals.ts';
export * from './audit.ts';
export * from './contracts.ts';
export * from './outbox.ts';
export * from './invoices.ts';
export * from './delivery.ts';
export * from './analytics.ts';
