export * from './stages.ts';
export * from './names.ts';
export * from './audit.ts';
