import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedSource, OUTPUT } from './buildWasm';

describe('the wasm kernels build', () => {
  it('the committed kernels.wasm.ts is what kernels.wat compiles to (run `npx tsx scripts/buildWasm.ts`)', async () => {
    expect(readFileSync(OUTPUT, 'utf8')).toBe(await generatedSource());
  }, 60_000);
});
