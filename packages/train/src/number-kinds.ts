/**
 * What a numeric option may be: the words an error uses and the test. One table for the CLI's flag
 * parsers (cli/options.ts) and trainRun's checks of the same options given through the API.
 */
export const NUMBER_KINDS = {
  positiveInteger: { mustBe: 'a positive integer', accepts: (n: number) => Number.isInteger(n) && n >= 1 },
  nonNegativeInteger: { mustBe: 'an integer ≥ 0', accepts: (n: number) => Number.isInteger(n) && n >= 0 },
  positiveNumber: { mustBe: 'a positive number', accepts: (n: number) => Number.isFinite(n) && n > 0 },
  nonNegativeNumber: { mustBe: 'a number ≥ 0', accepts: (n: number) => Number.isFinite(n) && n >= 0 },
} as const;

export type NumberKind = keyof typeof NUMBER_KINDS;

/** A hold-out fraction of the training set (--validation 0.1). */
export function isHoldoutFraction(f: number): boolean {
  return f > 0 && f < 1;
}
