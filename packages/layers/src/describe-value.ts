/**
 * A value as an error message shows it: numbers bare, strings quoted and called strings (so that a
 * `"10"` read from JSON is told apart from 10), other types named; objects are not printed.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'number' || value == null) return String(value);
  if (typeof value === 'string') return `${JSON.stringify(value)} (a string)`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  return `${String(value)} (a ${typeof value})`;
}
