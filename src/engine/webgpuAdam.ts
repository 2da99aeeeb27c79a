/**
 * The flat AdamW update as three WebGPU programs (FAST_PATHS.fusedAdamWebGpu): new first moment, new second moment,
 * new parameters, each one dispatch over the whole concatenated vector — instead of the ≈ 13 elementwise kernels
 * (one dispatch each) the flat path spends on the same arithmetic. A program has one output, so the parameter
 * program recomputes m′ and v′ inline rather than reading them back.
 *
 * Written against tfjs-backend-webgpu's program interface (what its own elementwise programs implement) and run
 * with `backend.runWebGPUProgram`. Only its types are imported: the backend is the active one, reached through
 * tf.backend() at call time, so this module loads in Node (no WebGPU) like the rest of the engine.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

/** The flat update's scalars: θ ← θ·keep − stepSize·m / (√v + epsilon), m and v with decay rates beta1, beta2. */
/** One fused flat AdamW update (m′, v′, θ′ from m, v, g, θ): this file's WebGPU programs or kernels/wasmAdam.ts. */
export type FusedAdamW = (
  firstMoment: tf.Tensor,
  secondMoment: tf.Tensor,
  gradient: tf.Tensor,
  parameters: tf.Tensor,
  scalars: FlatAdamScalars,
) => { firstMoment: tf.Tensor; secondMoment: tf.Tensor; parameters: tf.Tensor };

export interface FlatAdamScalars {
  beta1: number;
  beta2: number;
  /** ε·√c₂ */
  epsilon: number;
  /** 1 − lr·wd (1 without decay) */
  keep: number;
  /** lr·√c₂/c₁ */
  stepSize: number;
}

type Output = 'firstMoment' | 'secondMoment' | 'parameters';

/** Inputs read by each program (every bound input must be used: the pipeline layout is derived from the code). */
const INPUTS: Record<Output, string[]> = {
  firstMoment: ['M', 'G'],
  secondMoment: ['V', 'G'],
  parameters: ['M', 'V', 'G', 'P'],
};

/** The flat path's arithmetic in the flat path's order (optimizer.ts, applyFlat). */
const MOMENTS = `
      let g = getGByOutputIndex(index);`;
const FIRST = `
      let m = getMByOutputIndex(index) * uniforms.beta1 + g * uniforms.gain1;`;
const SECOND = `
      let v = getVByOutputIndex(index) * uniforms.beta2 + (g * g) * uniforms.gain2;`;
const RESULT: Record<Output, string> = {
  firstMoment: `${MOMENTS}${FIRST}
      setOutputAtIndex(index, m);`,
  secondMoment: `${MOMENTS}${SECOND}
      setOutputAtIndex(index, v);`,
  parameters: `${MOMENTS}${FIRST}${SECOND}
      let direction = m / (sqrt(v) + uniforms.epsilon);
      setOutputAtIndex(index, getPByOutputIndex(index) * uniforms.keep - direction * uniforms.stepSize);`,
};

/**
 * One output of the update, elementwise over a flat vector of `size` floats (64 threads a workgroup, one element
 * each; the backend folds dispatches beyond the device's per-dimension limit). A new object per run, as tfjs does:
 * runWebGPUProgram rewrites shaderKey into its pipeline-cache key (and dispatch, when it is too large).
 */
class AdamWProgram implements WebGPUProgram {
  readonly variableNames: string[];
  readonly outputShape: number[];
  readonly dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  readonly workgroupSize: [number, number, number] = [64, 1, 1];
  readonly size = true;
  readonly uniforms =
    'beta1 : f32, gain1 : f32, beta2 : f32, gain2 : f32, epsilon : f32, keep : f32, stepSize : f32,';
  shaderKey: string;

  constructor(
    private readonly output: Output,
    size: number,
  ) {
    this.variableNames = INPUTS[output];
    this.outputShape = [size];
    // webgpu_util.computeDispatch(flatDispatchLayout([size]), [size], [64, 1, 1]), without importing the package.
    this.dispatch = [Math.ceil(size / this.workgroupSize[0]), 1, 1];
    this.shaderKey = `adamW_${output}`;
  }

  getUserCode(): string {
    return `
    fn main(index : i32) {
      if (index < uniforms.size) {${RESULT[this.output]}
      }
    }`;
  }
}

/**
 * m′, v′ and θ′ for flat vectors m, v, g, θ of one length: three dispatches. Call on the webgpu backend only
 * (inside the caller's tidy: the outputs are ordinary tensors).
 */
export const fusedAdamW: FusedAdamW = (firstMoment, secondMoment, gradient, parameters, scalars) => {
  const backend = tf.backend() as WebGPUBackend;
  const uniforms = [
    scalars.beta1,
    1 - scalars.beta1,
    scalars.beta2,
    1 - scalars.beta2,
    scalars.epsilon,
    scalars.keep,
    scalars.stepSize,
  ].map((value) => ({ type: 'float32', data: [value] }));
  const inputs: Record<string, tf.Tensor> = {
    M: firstMoment,
    V: secondMoment,
    G: gradient,
    P: parameters,
  };
  const run = (output: Output): tf.Tensor => {
    const program = new AdamWProgram(output, gradient.size);
    const info = backend.runWebGPUProgram(
      program,
      program.variableNames.map((name) => inputs[name]),
      'float32',
      uniforms,
    );
    return tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor;
  };
  return {
    firstMoment: run('firstMoment'),
    secondMoment: run('secondMoment'),
    parameters: run('parameters'),
  };
};
