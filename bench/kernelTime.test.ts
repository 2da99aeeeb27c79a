import { describe, expect, it } from 'vitest';
import { kernelTimeByGroup, kernelTimeByName } from './kernelTime';

describe('kernel time', () => {
  const calls = [
    { name: 'BatchMatMul', ms: 10 },
    { name: 'forward', ms: 12 }, // a custom-gradient shell around the matMul: not a kernel
    { name: 'SplitV', ms: 3 },
    { name: 'BatchMatMul', ms: 5 },
    { name: 'Add', ms: 1 },
    { name: 'Slice', ms: 2 },
  ];
  const isKernel = (name: string) => name !== 'forward';

  it('sums per kernel, drops wrappers, largest first', () => {
    expect(kernelTimeByName(calls, isKernel)).toEqual([
      { name: 'BatchMatMul', ms: 15, calls: 2 },
      { name: 'SplitV', ms: 3, calls: 1 },
      { name: 'Slice', ms: 2, calls: 1 },
      { name: 'Add', ms: 1, calls: 1 },
    ]);
  });

  it('folds kernels into groups', () => {
    expect(kernelTimeByGroup(kernelTimeByName(calls, isKernel))).toEqual([
      { name: 'matrix products', ms: 15, calls: 2 },
      { name: 'data movement', ms: 5, calls: 2 },
      { name: 'elementwise and reductions', ms: 1, calls: 1 },
    ]);
  });
});
