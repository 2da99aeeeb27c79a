import * as tf from '@tensorflow/tfjs-core';
import { addAll } from '../ops';
import type { RegularizerState } from '../carriedState';
import { implementRegularizer, type LiveScalar } from './spec';
import { grokfastDefinition } from './definitions/grokfast';

/**
 * One EMA step of the slow gradient: μ ← α·μ + (1−α)·g. With no μ yet it starts at g (as ironjr/grokfast does),
 * so the first steps are not biased toward zero.
 */
export function grokfastEma(mu: tf.Tensor | null, g: tf.Tensor, alpha: number): tf.Tensor {
  if (mu === null) return tf.clone(g);
  return tf.tidy(() => tf.add(tf.mul(mu, alpha), tf.mul(g, 1 - alpha)));
}

/** g + λ·slow: the gradient with its slow (low-frequency) component amplified. */
export function amplifySlow(g: tf.Tensor, slow: tf.Tensor, lambda: number): tf.Tensor {
  return tf.tidy(() => tf.add(g, tf.mul(slow, lambda)));
}

/** ‖filtered‖ / ‖raw‖ over all tensors together (0 when the raw gradient is 0). */
export function filterGain(raw: readonly tf.Tensor[], filtered: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => {
    const energy = (tensors: readonly tf.Tensor[]): tf.Tensor =>
      addAll(tensors.map((t) => tf.sum(tf.square(t))));
    return tf.sqrt(tf.divNoNan(energy(filtered), energy(raw))) as tf.Scalar;
  });
}

/**
 * The last `size` gradients of one parameter with their running sum (add the newest, subtract the oldest), so the
 * mean costs two element-wise ops per step instead of a sum over the window.
 */
export class MovingWindow {
  private readonly slots: (tf.Tensor | null)[];
  private sum: tf.Tensor | null = null;
  private pushes = 0;

  constructor(readonly size: number) {
    this.slots = new Array<tf.Tensor | null>(size).fill(null);
  }

  get count(): number {
    return Math.min(this.pushes, this.size);
  }

  get full(): boolean {
    return this.pushes >= this.size;
  }

  push(g: tf.Tensor): void {
    const slot = this.pushes % this.size;
    const oldest = this.slots[slot];
    const previousSum = this.sum;
    this.slots[slot] = tf.keep(tf.clone(g));
    if (oldest && slot === 0) {
      // Once per lap the sum is rebuilt from the window, so float32 add/subtract drift cannot accumulate.
      this.sum = tf.keep(addAll(this.slots as tf.Tensor[]));
    } else {
      this.sum = tf.keep(
        tf.tidy(() => {
          const added = previousSum ? tf.add(previousSum, g) : tf.clone(g);
          return oldest ? tf.sub(added, oldest) : added;
        }),
      );
    }
    oldest?.dispose();
    previousSum?.dispose();
    this.pushes++;
  }

  /** The window's tensors as they lie (slot order, running sum, push count), for snapshots. Not copies. */
  exportState(): { slots: (tf.Tensor | null)[]; sum: tf.Tensor | null; pushes: number } {
    return { slots: [...this.slots], sum: this.sum, pushes: this.pushes };
  }

  /** A window holding exactly what exportState returned (takes ownership of the tensors), so it continues bit for bit. */
  static restore(
    size: number,
    slots: (tf.Tensor | null)[],
    sum: tf.Tensor | null,
    pushes: number,
  ): MovingWindow {
    const window = new MovingWindow(size);
    if (slots.length !== size) throw new Error('grokfast state: window size mismatch');
    slots.forEach((slot, i) => (window.slots[i] = slot));
    window.sum = sum;
    window.pushes = pushes;
    return window;
  }

  /** Mean of the last `size` gradients; null until the window is full. The caller owns the result. */
  mean(): tf.Tensor | null {
    return this.full && this.sum ? tf.div(this.sum, this.size) : null;
  }

  dispose(): void {
    for (const tensor of this.slots) tensor?.dispose();
    this.slots.fill(null);
    this.sum?.dispose();
    this.sum = null;
    this.pushes = 0;
  }
}

type FilterState =
  | { variant: 'ema'; mu: Map<string, tf.Tensor> }
  | { variant: 'ma'; size: number; windows: Map<string, MovingWindow> };

function disposeState(state: FilterState | null): void {
  if (!state) return;
  if (state.variant === 'ema') for (const mu of state.mu.values()) mu.dispose();
  else for (const window of state.windows.values()) window.dispose();
}

/**
 * Grokfast (Lee et al. 2024): treats the gradient sequence as a signal and amplifies its slow component, which is
 * meant to carry the generalizing direction. Runs after backward, before the optimizer.
 */
export const grokfast = implementRegularizer({
  ...grokfastDefinition,
  create() {
    let state: FilterState | null = null;
    let gain: tf.Tensor | null = null;

    const stateFor = (variant: 'ema' | 'ma', size: number): FilterState => {
      const matches = state?.variant === variant && (state.variant === 'ema' || state.size === size);
      if (!matches || !state) {
        // A different filter (or window length) has no meaningful history to carry over.
        disposeState(state);
        state = variant === 'ema' ? { variant, mu: new Map() } : { variant, size, windows: new Map() };
      }
      return state;
    };

    return {
      transformGradients(gradients, _context, params) {
        const current = stateFor(params.variant, params.window);
        const result: tf.NamedTensorMap = {};
        for (const [name, g] of Object.entries(gradients)) {
          if (current.variant === 'ema') {
            const previous = current.mu.get(name) ?? null;
            const mu = tf.keep(grokfastEma(previous, g, params.alpha));
            previous?.dispose();
            current.mu.set(name, mu);
            result[name] = amplifySlow(g, mu, params.lambda);
          } else {
            let window = current.windows.get(name);
            if (!window) current.windows.set(name, (window = new MovingWindow(current.size)));
            window.push(g);
            const mean = window.mean();
            result[name] = mean ? amplifySlow(g, mean, params.windowLambda) : g;
            mean?.dispose();
          }
        }
        gain?.dispose();
        gain = tf.keep(filterGain(Object.values(gradients), Object.values(result)));
        return result;
      },
      async getState(): Promise<RegularizerState | null> {
        const current = state as FilterState | null;
        if (!current) return null;
        const arrays: RegularizerState['arrays'] = {};
        if (current.variant === 'ema') {
          for (const [name, mu] of current.mu)
            arrays[`mu/${name}`] = { values: (await mu.data()) as Float32Array, shape: mu.shape };
          return { arrays, scalars: { variant: 'ema' } };
        }
        const scalars: RegularizerState['scalars'] = { variant: 'ma', size: current.size };
        for (const [name, window] of current.windows) {
          const { slots, sum, pushes } = window.exportState();
          for (let i = 0; i < slots.length; i++) {
            const slot = slots[i];
            if (slot)
              arrays[`ma/${i}/${name}`] = { values: (await slot.data()) as Float32Array, shape: slot.shape };
          }
          if (sum) arrays[`sum/${name}`] = { values: (await sum.data()) as Float32Array, shape: sum.shape };
          scalars[`pushes/${name}`] = pushes;
        }
        return { arrays, scalars };
      },
      setState(saved) {
        const variant = saved.scalars.variant;
        if (variant !== 'ema' && variant !== 'ma') throw new Error('grokfast state: unknown filter variant');
        const size = Number(saved.scalars.size);
        if (variant === 'ma' && !(Number.isInteger(size) && size >= 1))
          throw new Error('grokfast state: bad window size');
        disposeState(state);
        state = null;
        const next: FilterState =
          variant === 'ema' ? { variant, mu: new Map() } : { variant, size, windows: new Map() };
        const tensors: tf.Tensor[] = [];
        const load = (entry: { values: Float32Array; shape: number[] }): tf.Tensor => {
          const tensor = tf.keep(tf.tensor(entry.values, entry.shape));
          tensors.push(tensor);
          return tensor;
        };
        try {
          if (next.variant === 'ema') {
            for (const [key, entry] of Object.entries(saved.arrays)) {
              if (!key.startsWith('mu/')) throw new Error(`grokfast state: unexpected ${key}`);
              next.mu.set(key.slice(3), load(entry));
            }
          } else {
            const names = Object.keys(saved.scalars)
              .filter((key) => key.startsWith('pushes/'))
              .map((key) => key.slice('pushes/'.length));
            for (const name of names) {
              const pushes = Number(saved.scalars[`pushes/${name}`]);
              if (!Number.isInteger(pushes) || pushes < 0) throw new Error('grokfast state: bad push count');
              const slots = Array.from({ length: size }, (_, i) => {
                const entry = saved.arrays[`ma/${i}/${name}`];
                return entry ? load(entry) : null;
              });
              const sumEntry = saved.arrays[`sum/${name}`];
              const sum = sumEntry ? load(sumEntry) : null;
              if (slots.filter(Boolean).length !== Math.min(pushes, size) || (pushes > 0 && !sum))
                throw new Error(`grokfast state: the window of ${name} is incomplete`);
              next.windows.set(name, MovingWindow.restore(size, slots, sum, pushes));
            }
          }
        } catch (error) {
          tf.dispose(tensors);
          throw error;
        }
        state = next;
      },
      scalars() {
        const values: Record<string, LiveScalar> = {};
        if (gain) values.gain = gain;
        if (state?.variant === 'ma') {
          const first = state.windows.values().next().value;
          values.windowFill = first ? first.count / first.size : 0;
        }
        return values;
      },
      dispose() {
        disposeState(state);
        state = null;
        gain?.dispose();
        gain = null;
      },
    };
  },
});
