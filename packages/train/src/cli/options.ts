import { InvalidArgumentError } from 'commander';

/** commander parsers that name the flag in their error. */
export function positiveInteger(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${flag} must be a positive integer, got '${value}'.`);
    return n;
  };
}

export function nonNegativeInteger(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${flag} must be an integer ≥ 0, got '${value}'.`);
    return n;
  };
}

export function positiveNumber(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${flag} must be a positive number, got '${value}'.`);
    return n;
  };
}

export function nonNegativeNumber(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${flag} must be a number ≥ 0, got '${value}'.`);
    return n;
  };
}

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
 * 'skip'` for an unreadable image, which a CLI user passes as --on-bad-image skip.
 */
export function forCommandLine(error: unknown): unknown {
  const e = error as { code?: unknown; message?: unknown };
  if (e?.code !== 'BAD_IMAGE' || typeof e.message !== 'string') return error;
  // Drops the API's advice, a parenthesis that may hold one nested parenthesis of its own.
  const message = e.message.replace(/\s*\((?:[^()]|\([^()]*\))*onBadImage(?:[^()]|\([^()]*\))*\)/g, '');
  return new Error(`${message} (pass --on-bad-image skip to leave such files out and count them)`, { cause: error });
}
