/** Types of ./words.js (the page's plain ES module), for the tests and tools that read it. */
export declare const WORDS: { en: Record<string, string>; bg: Record<string, string> };
export declare const LANGUAGES: string[];
export declare function word(lang: string, key: string, values?: Record<string, unknown>): string;
