/** For exhaustive switches: a compile error when a case is forgotten. Pure, so both sides may import it. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
