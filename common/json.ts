/** Values that survive JSON.stringify/parse unchanged: table handles, splits, task specs. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [k: string]: JsonValue };
