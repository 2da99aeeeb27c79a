/**
 * Where a training step's time goes, by tfjs kernel: `tf.profile` times every kernel call, and wrappers that are
 * not backend kernels themselves (custom gradients, fused-op shells) are dropped so nothing is counted twice.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface KernelCall {
  name: string;
  ms: number;
}

export interface KernelShare {
  /** A kernel name, or a group of kernels (see KERNEL_GROUPS). */
  name: string;
  ms: number;
  calls: number;
}

/** Kernels grouped by the kind of work, for the report's summary line. */
export const KERNEL_GROUPS: Record<string, readonly string[]> = {
  'matrix products': ['BatchMatMul', '_FusedMatMul', 'Conv2D'],
  'data movement': [
    'Slice',
    'SplitV',
    'Concat',
    'Transpose',
    'Reshape',
    'Identity',
    'PadV2',
    'Gather',
    'GatherV2',
    'Cast',
    'ExpandDims',
    'Tile',
    'StridedSlice',
  ],
};

/** Sums time per kernel name (registered kernels only), largest first. */
export function kernelTimeByName(
  calls: readonly KernelCall[],
  isKernel: (name: string) => boolean,
): KernelShare[] {
  const totals = new Map<string, KernelShare>();
  for (const call of calls) {
    if (!isKernel(call.name)) continue;
    const entry = totals.get(call.name) ?? { name: call.name, ms: 0, calls: 0 };
    entry.ms += call.ms;
    entry.calls += 1;
    totals.set(call.name, entry);
  }
  return [...totals.values()].sort((a, b) => b.ms - a.ms);
}

/** Per-kernel shares folded into KERNEL_GROUPS, everything else as "elementwise and reductions". */
export function kernelTimeByGroup(byName: readonly KernelShare[]): KernelShare[] {
  const groups = new Map<string, KernelShare>();
  for (const share of byName) {
    const group =
      Object.entries(KERNEL_GROUPS).find(([, names]) => names.includes(share.name))?.[0] ??
      'elementwise and reductions';
    const entry = groups.get(group) ?? { name: group, ms: 0, calls: 0 };
    entry.ms += share.ms;
    entry.calls += share.calls;
    groups.set(group, entry);
  }
  return [...groups.values()].sort((a, b) => b.ms - a.ms);
}

/** Profiles `steps` calls of `step` on the active backend; ms per step by kernel name. */
export async function profileKernelTime(step: () => void, steps: number): Promise<KernelShare[]> {
  const backend = tf.getBackend();
  const info = await tf.profile(() => {
    for (let i = 0; i < steps; i++) step();
  });
  const calls = info.kernels.map((kernel) => ({
    name: kernel.name,
    ms: typeof kernel.kernelTimeMs === 'number' ? kernel.kernelTimeMs : 0,
  }));
  return kernelTimeByName(calls, (name) => tf.getKernel(name, backend) !== undefined).map((share) => ({
    ...share,
    ms: share.ms / steps,
    calls: share.calls / steps,
  }));
}
