/** The PostgreSQL DDL of the model in db/schema: drizzle-kit generates db/migrations-pg from it. */
export * from './clients.ts';
export * from './deals.ts';
export * from './audit.ts';
export * from './contracts.ts';
export * from './outbox.ts';
export * from './invoices.ts';
export * from './delivery.ts';
export * from './analytics.ts';
export * from './home.ts';
export * from './requests.ts';
export * from './counters.ts';
export * from './prefs.ts';
