/** Words in one place per language: the catalogs, the labels of closed sets, and the words input accepts in either language. */
export * from './t.ts';
export * from './labels.ts';
export * from './words.ts';
