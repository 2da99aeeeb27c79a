/**
 * One evaluation of a run: loss and accuracy on both splits (every example, in chunks), activation radii, the
 * gradient geometry (radial share per site, AGE) from one probe pass on training rows, the weight norm, the active
 * regularizers' live scalars and, for (a ± b) mod p, Nanda et al.'s progress measures. Everything is read back in
 * one wait, and every tensor made here is freed here.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Config } from '../config';
import { crossEntropy, crossEntropyRows } from '../loss';
import { absoluteGradientEntropy } from '../metrics/age';
import { globalNorm } from '../metrics/norms';
import { progressMeasures, progressSupport } from '../metrics/progressMeasures';
import type { ProgressMeasures } from '../records';
import { radialEnergyShare } from '../metrics/radialShare';
import { rowNorms } from '../metrics/radius';
import { summarizeSplits } from '../metrics/split';
import type { Model, ModelParameters } from '../models/model';
import type { LiveScalar } from '../regularizers/spec';
import type { Dataset } from '../tasks/dataset';
import type { Batch } from './batches';

const EVAL_CHUNK = 2048;
/** Rows used for the gradient-geometry metrics (radial share, AGE) at each evaluation. */
const PROBE_ROWS = 1024;

export interface EvaluationInput {
  model: Model;
  dataset: Dataset;
  parameters: ModelParameters;
  /** Every example, in dataset order. */
  examples: Batch;
  /** The training split the optimizer sees: the geometry probe runs on its first PROBE_ROWS rows. */
  training: Batch;
  trainingRows: number;
  /** progressSign(): +1 / −1 for (a ± b) mod p, null when the run has no progress measures. */
  progressSign: 1 | -1 | null;
  /** Each active regularizer's live scalars, by regularizer id and name. */
  liveScalars: { id: string; name: string; scalar: LiveScalar }[];
}

/**
 * +1 / −1 when the run's task has the progress measures: (a ± b) mod p with all p² pairs, one answer token, and
 * an embedding table to read the key frequencies from (progressSupport says why others have none); else null.
 */
export function progressSign(
  task: Config['task'],
  dataset: Dataset,
  parameterNames: readonly string[],
): 1 | -1 | null {
  const support = progressSupport(task);
  const { grid } = dataset;
  return support.defined &&
    dataset.answerLength === 1 &&
    grid !== undefined &&
    grid.size === dataset.numClasses &&
    dataset.isTrain.length === grid.size * grid.size &&
    parameterNames.includes('embedding')
    ? support.sign
    : null;
}

/**
 * What an evaluation measured (the trainer stamps step, learning rate and training time on it to make a
 * MetricRecord), the predicted class at the first answer position per example, and with the progress measures the
 * whole table's logits [p², p] in dataset order.
 */
export async function measure(input: EvaluationInput) {
  const { dataset, model, parameters, examples } = input;
  const count = dataset.isTrain.length;
  const k = dataset.answerLength;
  const sites = model.sites;
  const lossParts: tf.Tensor[] = [];
  const correctParts: tf.Tensor[] = [];
  const predictionParts: tf.Tensor[] = [];
  // Kept only for the progress measures; K = 1 there, so each row of `flat` is one example's logits.
  const logitParts: tf.Tensor[] = [];
  const withProgress = input.progressSign !== null;
  let radiusSums: tf.Tensor | null = null;
  let radiusRows = 0;
  /** Each site's activation shape without the example axis (for the geometry probe's zero tensors). */
  const siteShapes: Record<string, number[]> = {};
  for (let start = 0; start < count; start += EVAL_CHUNK) {
    const size = Math.min(EVAL_CHUNK, count - start);
    const parts = tf.tidy(() => {
      const oneHot = tf.slice(examples.oneHot, [start, 0, 0], [size, -1, -1]);
      const targets = tf.slice(examples.targets, [start * k, 0], [size * k, -1]);
      const { logits, activations } = model.forward(parameters, oneHot);
      for (const site of sites) siteShapes[site.name] = activations[site.name].shape.slice(1);
      const flat = tf.reshape(logits, [-1, dataset.numClasses]);
      const rowLoss = tf.mean(tf.reshape(crossEntropyRows(flat, targets), [size, k]), 1);
      const predicted = tf.reshape(tf.argMax(flat, 1), [size, k]);
      const expected = tf.reshape(tf.argMax(targets, 1), [size, k]);
      const correct = tf.min(tf.cast(tf.equal(predicted, expected), 'int32'), 1);
      const radii = // Mean over the site's rows (positions differ by site), weighted by examples in this chunk.
        tf.stack(sites.map((site) => tf.mul(tf.mean(rowNorms(activations[site.name])), size)));
      return {
        rowLoss,
        correct,
        firstPrediction: tf.squeeze(tf.slice(predicted, [0, 0], [size, 1]), [1]),
        radii,
        ...(withProgress ? { logits: flat } : {}),
      };
    });
    if (parts.logits) logitParts.push(parts.logits);
    lossParts.push(parts.rowLoss);
    correctParts.push(parts.correct);
    predictionParts.push(parts.firstPrediction);
    const previous: tf.Tensor | null = radiusSums;
    radiusSums = previous ? tf.add(previous, parts.radii) : parts.radii;
    if (previous) {
      previous.dispose();
      parts.radii.dispose();
    }
    radiusRows += size;
  }
  const gathered = tf.tidy(() => ({
    loss: tf.concat(lossParts),
    correct: tf.concat(correctParts),
    predictions: tf.concat(predictionParts),
    ...(withProgress ? { logits: tf.concat(logitParts) } : {}),
  }));
  tf.dispose([...lossParts, ...correctParts, ...predictionParts, ...logitParts]);
  const geometry = gradientGeometry(input, siteShapes);
  const weightNorm = globalNorm(Object.values(parameters));
  // Read alongside the rest (one wait); the host does the O(p³) Fourier fit, cheaper than a round of small kernels.
  const progressReads = gathered.logits
    ? Promise.all([gathered.logits.data(), parameters['embedding'].data()])
    : null;
  const [loss, correct, predictions, radiusValues, shareValues, entropy, norm, ...scalarValues] =
    await Promise.all([
      gathered.loss.data(),
      gathered.correct.data(),
      gathered.predictions.data(),
      radiusSums!.data(),
      geometry.shares.data(),
      geometry.entropy.data(),
      weightNorm.data(),
      ...input.liveScalars.map(({ scalar }) => readLive(scalar)),
    ]);
  tf.dispose([
    gathered.loss,
    gathered.correct,
    gathered.predictions,
    radiusSums!,
    geometry.shares,
    geometry.entropy,
    weightNorm,
  ]);
  const progressValues = progressReads ? await progressReads : null;
  if (gathered.logits) gathered.logits.dispose();

  const summary = summarizeSplits(loss, correct, dataset.isTrain);
  const activationRadius: Record<string, number> = {};
  const radiusRatio: Record<string, number> = {};
  const radialShare: Record<string, number> = {};
  sites.forEach((site, i) => {
    activationRadius[site.name] = radiusValues[i] / radiusRows;
    radiusRatio[site.name] = activationRadius[site.name] / Math.sqrt(site.dim);
    radialShare[site.name] = shareValues[i];
  });
  const regularizers: Record<string, Record<string, number>> = {};
  input.liveScalars.forEach(({ id, name }, i) => {
    (regularizers[id] ??= {})[name] = scalarValues[i];
  });
  const metrics = {
    ...summary,
    weightNorm: norm[0],
    activationRadius,
    radiusRatio,
    radialShare,
    gradientEntropy: entropy[0],
    regularizers,
  };
  let progress: ProgressMeasures | null = null;
  let progressLogits: Float32Array | null = null;
  if (progressValues && input.progressSign !== null) {
    const [logits, embedding] = progressValues;
    const grid = dataset.grid!;
    progressLogits = logits as Float32Array;
    progress = progressMeasures(
      {
        logits: progressLogits,
        a: grid.a,
        b: grid.b,
        targets: dataset.targets,
        isTrain: dataset.isTrain,
        p: grid.size,
        sign: input.progressSign,
      },
      { values: embedding as Float32Array, shape: parameters['embedding'].shape as [number, number] },
    );
  }
  return { metrics, progress, progressLogits, predictions: Int32Array.from(predictions) };
}

/** Radial share per site and AGE, from one extra forward/backward pass on (up to PROBE_ROWS of) the training batch. */
function gradientGeometry(
  { model, dataset, parameters, training, trainingRows }: EvaluationInput,
  siteShapes: Record<string, number[]>,
): { shares: tf.Tensor; entropy: tf.Tensor } {
  return tf.tidy(() => {
    const rows = Math.min(PROBE_ROWS, trainingRows);
    const oneHot = tf.slice(training.oneHot, [0, 0, 0], [rows, -1, -1]);
    const targets = tf.slice(training.targets, [0, 0], [rows * dataset.answerLength, -1]);
    // The probes are zeros, so they change nothing but expose ∂L/∂h. Their shapes are the evaluation pass's
    // (every activation is [examples, ...]), which saves a forward pass here.
    const probes = model.sites.map((site) => tf.zeros([rows, ...siteShapes[site.name]]));
    const variables = Object.values(parameters);
    const sites = model.sites;
    let captured: Record<string, tf.Tensor> = {};
    const lossOf = (...inputs: tf.Tensor[]): tf.Scalar => {
      const probeMap: Record<string, tf.Tensor> = {};
      sites.forEach((site, i) => (probeMap[site.name] = inputs[i]));
      const inputParameters: ModelParameters = {};
      Object.keys(parameters).forEach((name, i) => (inputParameters[name] = inputs[sites.length + i]));
      const { logits, activations } = model.forward(inputParameters, oneHot, { probes: probeMap });
      // tf.grads frees f's intermediates; the activations are needed afterwards, so keep them.
      captured = Object.fromEntries(
        Object.entries(activations).map(([name, value]) => [name, tf.keep(value)]),
      );
      return crossEntropy(tf.reshape(logits, [-1, dataset.numClasses]), targets);
    };
    const gradients = tf.grads(lossOf)([...probes, ...variables]);
    const shares = tf.stack(sites.map((site, i) => radialEnergyShare(captured[site.name], gradients[i])));
    const entropy = absoluteGradientEntropy(gradients.slice(sites.length));
    tf.dispose(Object.values(captured));
    return { shares, entropy };
  });
}

async function readLive(scalar: LiveScalar): Promise<number> {
  return typeof scalar === 'number' ? scalar : (await scalar.data())[0];
}
