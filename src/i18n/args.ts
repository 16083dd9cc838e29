/**
 * The arguments an ICU message names, worked out by the type checker from the message's text,
 * so `t(locale, key, values)` fails to compile when a value is missing, misnamed or extra.
 *
 * ICU nests text and arguments alternately: a `{` met in text (brace depth 0, 2, 4 …) opens an
 * argument, `{name}` or `{name, plural|select|number, …}`; a `{` inside an argument (depth 1,
 * 3 …) opens a case's text (`one {…}`). The scan steps from brace to brace, so its depth is
 * the number of braces, never the length of the text.
 */

type Pop<D extends 0[]> = D extends [0, ...infer T extends 0[]] ? T : [];
type Even<D extends 0[]> = D['length'] extends 0 | 2 | 4 | 6 | 8 ? true : false;
type Trim<S extends string> = S extends ` ${infer R}` ? Trim<R> : S extends `${infer R} ` ? Trim<R> : S;

/** `name}`, `name, plural, …` → the argument's name and what it needs. */
type ArgOf<Post extends string> = Post extends `${infer Body}}${string}`
  ? Body extends `${infer Name},${infer Kind}`
    ? { [K in Trim<Name>]: Trim<Kind> extends `plural${string}` | `selectordinal${string}` | `number${string}` ? number : Trim<Kind> extends `select${string}` ? string : string | number }
    : { [K in Trim<Body>]: string | number }
  : {};

type Scan<S extends string, D extends 0[], Acc> = S extends `${infer Pre}{${infer Post}`
  ? Pre extends `${string}}${infer Rest}`
    ? Scan<`${Rest}{${Post}`, Pop<D>, Acc>
    : Scan<Post, [...D, 0], Even<D> extends true ? Acc & ArgOf<Post> : Acc>
  : Acc;

type Flat<T> = { [K in keyof T]: T[K] };

/** The values a message takes: `{}` for a message without arguments. */
export type ArgsOf<S extends string> = string extends S ? Record<string, string | number> : Flat<Scan<S, [], {}>>;
