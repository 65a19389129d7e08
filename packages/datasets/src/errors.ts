/** What went wrong, for code that wants to branch on it; the message always says it for people. */
export type DatasetErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'CIFAR_SIZE'
  | 'CIFAR_LABEL'
  | 'BAD_IMAGE'
  | 'EMPTY_CLASS'
  | 'BAD_LAYOUT'
  | 'BROKEN_ARCHIVE'
  | 'UNSAFE_ARCHIVE'
  | 'TOO_LARGE'
  | 'DOWNLOAD'
  | 'CHECKSUM'
  | 'OFFLINE'
  | 'WORKER';

/** Marks DatasetErrors across copies of this code: a global symbol on the prototype. */
const BRAND = Symbol.for('@fixclf/datasets:DatasetError');

/**
 * Every error this package throws on bad input: it names the file (or argument) at fault.
 *
 * `instanceof DatasetError` checks a brand rather than the prototype chain, so it also holds for an error
 * thrown by another copy of this class: the CommonJS build has one copy per entry point
 * ('@fixclf/datasets' and '@fixclf/datasets/internals'), and a program may load the CommonJS and the ESM
 * build side by side.
 */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';
  readonly code: DatasetErrorCode;
  /** The file, archive member (`archive.tar.gz:path/in/archive`) or directory at fault, when there is one. */
  readonly file: string | undefined;

  constructor(code: DatasetErrorCode, message: string, options: { file?: string | undefined; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.file = options.file;
  }

  /** `error instanceof DatasetError` by the brand; subclasses keep the ordinary prototype check. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== DatasetError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }
}
Object.defineProperty(DatasetError.prototype, BRAND, { value: true });

export function invalidArgument(message: string): DatasetError {
  return new DatasetError('INVALID_ARGUMENT', message);
}

/** A value as an error message shows it: numbers as they print (NaN too), anything else as JSON. */
export function showValue(value: unknown): string {
  if (typeof value === 'number' || value === undefined) return String(value);
  return JSON.stringify(value) ?? String(value);
}

/** The message of anything thrown. Duck-typed: errors from another realm (a VM context, a test sandbox) fail instanceof. */
export function describeCause(cause: unknown): string {
  if (typeof cause === 'object' && cause !== null && 'message' in cause) return String((cause as { message: unknown }).message);
  return String(cause);
}
