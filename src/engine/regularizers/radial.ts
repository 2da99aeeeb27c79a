import * as tf from '@tensorflow/tfjs-core';
import { addAll } from '../ops';
import { rowNorms } from '../metrics/radius';
import { fusedRadialAvailable, fusedRadialPenalty } from '../kernels/radialPenalty';
import type { SiteInfo } from '../models/model';
import { implementRegularizer } from './spec';
import { radialDefinition } from './definitions/radial';

export type RadialSites = 'auto' | 'hidden' | 'residual' | 'embedding' | 'all';

/** Which sites the penalty acts on. "auto" = the hidden representations: MLP hidden layers, transformer residual stream. */
export function selectRadialSites(sites: readonly SiteInfo[], choice: RadialSites): SiteInfo[] {
  switch (choice) {
    case 'all':
      return [...sites];
    case 'auto': {
      const residual = sites.filter((site) => site.role === 'residual');
      return residual.length > 0 ? residual : sites.filter((site) => site.role === 'hidden');
    }
    default:
      return sites.filter((site) => site.role === choice);
  }
}

/**
 * (λ/d)·(‖h‖₂ − √d)², averaged over the rows of h [..., d]: pulls each representation softly onto the sphere of
 * radius √d. The gradient flows through h (no stop-gradient), so it is purely radial.
 */
export function radialPenalty(activation: tf.Tensor, lambda: number): tf.Scalar {
  if (fusedRadialAvailable()) return fusedRadialPenalty(activation, lambda);
  return tf.tidy(() => {
    const d = activation.shape[activation.shape.length - 1];
    const deviation = tf.sub(rowNorms(activation), Math.sqrt(d));
    return tf.mul(tf.mean(tf.square(deviation)), lambda / d) as tf.Scalar;
  });
}

export const radial = implementRegularizer({
  ...radialDefinition,
  create() {
    let lastPenalty: tf.Tensor | null = null;
    return {
      lossTerm(context, params) {
        const sites = selectRadialSites(context.sites, params.sites);
        if (sites.length === 0) return null;
        const penalty = addAll(
          sites.map((site) => radialPenalty(context.activations[site.name], params.lambda)),
        );
        lastPenalty?.dispose();
        lastPenalty = tf.keep(tf.clone(penalty));
        return penalty as tf.Scalar;
      },
      scalars: (): Record<string, tf.Tensor> => (lastPenalty ? { penalty: lastPenalty } : {}),
      dispose() {
        lastPenalty?.dispose();
        lastPenalty = null;
      },
    };
  },
});
