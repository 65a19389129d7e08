// `tsc -p packages/hadamard` compiles this file with exactOptionalPropertyTypes: a caller's option that may
// be undefined is passed straight through (no TS2379), and undefined means the default.
import { fwht, hadamardTransform } from '@fixclf/hadamard';
import { randomVector } from './helpers';

/** A caller's own options, forwarded to ours: each one possibly undefined. */
interface CallerOptions {
  readonly normalize?: boolean | undefined;
  readonly transpose?: boolean | undefined;
}

const unset: CallerOptions = { normalize: undefined, transpose: undefined };

describe('options forwarded as undefined (exactOptionalPropertyTypes)', () => {
  it('fwht: normalize undefined is the default (no normalisation)', () => {
    const input = randomVector(3 * 16, 1);
    const forwarded = fwht(Float64Array.from(input), 16, { normalize: unset.normalize });
    expect(Array.from(forwarded)).toEqual(Array.from(fwht(Float64Array.from(input), 16)));
    expect(Array.from(forwarded)).not.toEqual(Array.from(fwht(Float64Array.from(input), 16, { normalize: true })));
  });

  it('hadamardTransform(n).apply: normalize and transpose undefined are the defaults', () => {
    const t = hadamardTransform(24); // a Paley core: not symmetric, so transpose matters
    const input = randomVector(2 * 24, 2);
    const forwarded = t.apply(Float64Array.from(input), { normalize: unset.normalize, transpose: unset.transpose });
    expect(Array.from(forwarded)).toEqual(Array.from(t.apply(Float64Array.from(input))));
    expect(Array.from(forwarded)).not.toEqual(Array.from(t.apply(Float64Array.from(input), { transpose: true })));
  });
});
