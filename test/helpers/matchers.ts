// Asymmetric matchers, typed: vitest types `expect.any()` as `any`, which would let `any` flow
// into the expected values; as `unknown` it is just a value `toEqual` compares with.
import { expect } from 'vitest';

/** Any number (`expect.any(Number)`). */
export const anyNumber: unknown = expect.any(Number);

/** Any string (`expect.any(String)`). */
export const anyString: unknown = expect.any(String);
