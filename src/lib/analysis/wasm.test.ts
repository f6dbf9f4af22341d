/** The WebAssembly kernels shipped as TypeScript modules are assembled from their text sources as they stand. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generated, KERNELS } from '../../../scripts/build-wasm';

describe('WebAssembly kernels', () => {
  for (const k of KERNELS)
    it(`${k.out} is ${k.wat} assembled (npm run wasm)`, async () => {
      expect(readFileSync(k.out, 'utf8')).toBe(await generated(k));
    });
});
