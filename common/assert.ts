/** Exhaustiveness check: a new variant of a union breaks the build where it is not handled. */
export function assertNever(x: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(x)}`);
}
