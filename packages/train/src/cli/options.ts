import { InvalidArgumentError } from 'commander';
import { NUMBER_KINDS, type NumberKind } from '../number-kinds';

/**
 * A commander parser for a number of `kind`, naming the flag and what it must be in its error
 * ("--epochs must be a positive integer, got '0'.").
 */
function numberParser(flag: string, kind: NumberKind) {
  const { mustBe, accepts } = NUMBER_KINDS[kind];
  return (value: string): number => {
    const n = Number(value);
    if (!accepts(n)) throw new InvalidArgumentError(`${flag} must be ${mustBe}, got '${value}'.`);
    return n;
  };
}

/** commander parsers that name the flag in their error. */
export const positiveInteger = (flag: string) => numberParser(flag, 'positiveInteger');
export const nonNegativeInteger = (flag: string) => numberParser(flag, 'nonNegativeInteger');
export const positiveNumber = (flag: string) => numberParser(flag, 'positiveNumber');
export const nonNegativeNumber = (flag: string) => numberParser(flag, 'nonNegativeNumber');

export function oneOf<T extends string>(flag: string, choices: readonly T[]) {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`${flag} must be one of ${choices.join(', ')}, got '${value}'.`);
    }
    return value as T;
  };
}

/**
 * An error reworded for the command line: @fixclf/datasets advises its API option `onBadImage:
 * 'skip'` for an unreadable image, which a CLI user passes as --on-bad-image skip, and
 * `openDataset('<path>')` for CIFAR offline, which a CLI user passes as --dataset <path>.
 */
export function forCommandLine(error: unknown): unknown {
  const e = error as { code?: unknown; message?: unknown };
  if (typeof e?.message === 'string' && /openDataset\('[^']*'\)/.test(e.message)) {
    const message = e.message
      .replace(/pass its directory to openDataset\('([^']*)'\)/g, 'pass its directory as --dataset $1')
      .replace(/openDataset\('([^']*)'\)/g, '--dataset $1');
    return new Error(message, { cause: error });
  }
  if (e?.code !== 'BAD_IMAGE' || typeof e.message !== 'string') return error;
  // Drops the API's advice, a parenthesis that may hold one nested parenthesis of its own.
  const message = e.message.replace(/\s*\((?:[^()]|\([^()]*\))*onBadImage(?:[^()]|\([^()]*\))*\)/g, '');
  return new Error(`${message} (pass --on-bad-image skip to leave such files out and count them)`, { cause: error });
}
