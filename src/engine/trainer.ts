/**
 * One run's training on tfjs: its tensors (weights, optimizer moments, datasets), the step, the evaluation and the
 * state it saves and restores. Longer than ~500 lines on purpose: every tensor the run creates is created and
 * disposed here, so the leak invariant (tf.memory().numTensors flat over a run, tested) is checked in one file;
 * the pure parts (metrics, progress measures, regularizers, optimizer, stop rules) already live in their own.
 * The next cut, if it grows: the evaluation (evaluate() and its read-backs) into trainer/evaluation.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { addAll } from './ops';
import {
  deepMerge,
  getPath,
  validateConfig,
  type Config,
  type ConfigIssue,
  type DeepPartial,
} from './config';
import { crossEntropy, crossEntropyRows } from './loss';
import { absoluteGradientEntropy } from './metrics/age';
import { globalNorm } from './metrics/norms';
import { progressMeasures, progressSupport } from './metrics/progressMeasures';
import { rowNorms } from './metrics/radius';
import { radialEnergyShare } from './metrics/radialShare';
import { summarizeSplits } from './metrics/split';
import type { Model, ModelParameters } from './models/model';
import { MODELS } from './models/registry';
import { AdamW } from './optimizer';
import { createRandom, deriveSeed, permutation } from './random';
import { REGULARIZER_IMPLEMENTATIONS } from './regularizers/implementations';
import { REGULARIZER_IDS, REGULARIZERS, type RegularizerId } from './regularizers/registry';
import type {
  LiveScalar,
  MetaContext,
  RegularizerContext,
  RegularizerDefinition,
  RegularizerInstance,
} from './regularizers/spec';
import type { Dataset } from './tasks/dataset';
import { buildDataset } from './tasks/registry';
import { appendAll, replaceContents } from './arrays';
import type { RegularizerState } from './carriedState';
import { leafPaths } from './plainObjects';
import type { ConfigEvent, MetricRecord } from './records';
import type { TrainerState } from './snapshot';
import { shardRange, type Shard } from './dataParallel/shard';

export interface Evaluation {
  record: MetricRecord;
  /** Predicted class at the first answer position, per example (the prediction grid). */
  predictions: Int32Array;
}

/**
 * Data-parallel training (src/engine/dataParallel/): several trainers, one per worker, built from one config, each
 * computing the gradient on its share of every batch. Everything after the raw gradient (gradient transforms,
 * decay, the optimizer) runs on the mean in every worker alike, so their weights stay identical.
 */
export interface GradientReducer {
  readonly shard: Shard;
  /**
   * At the start of each step: the leader's (shard 0's) last training accuracy, for every shard (only the leader
   * evaluates, and regularizers such as delayed Frobenius switch on it). Blocks until every shard has arrived.
   */
  agree(lastTrainAccuracy: number | null): number | null;
  /**
   * This shard's raw gradients (of the loss's mean over its `rows` rows) → the row-weighted mean over every shard,
   * as new tensors; the caller disposes both. Blocks until every shard has given its own.
   */
  reduce(gradients: tf.NamedTensorMap, rows: number): tf.NamedTensorMap;
}

export interface TrainerOptions {
  /** Train on this shard of every batch and step with the gradient averaged over all shards. */
  gradientReducer?: GradientReducer;
}

/** Sections that may change between two steps; anything else needs a new run. */
const LIVE_SECTIONS = ['regularizers', 'optimizer', 'training'] as const;
const EVAL_CHUNK = 2048;
/** Rows used for the gradient-geometry metrics (radial share, AGE) at each evaluation. */
const PROBE_ROWS = 1024;
/** NeuralGrok's outer batch: this fraction of the training split, carved out while it is on. */
export const HELD_OUT_FRACTION = 1 / 50;

let trainerCount = 0;

interface Batch {
  oneHot: tf.Tensor;
  targets: tf.Tensor;
}

/**
 * Owns one run: dataset tensors, parameters, optimizer and regularizer state, and the lifetime of every tensor
 * they create. `step()` trains on one batch; `evaluate()` measures; `update()` changes the config between steps.
 */
export class Trainer {
  readonly dataset: Dataset;
  readonly model: Model;
  readonly history: MetricRecord[] = [];
  readonly events: ConfigEvent[] = [];
  private configValue: Config;
  private readonly parameters: Record<string, tf.Variable> = {};
  private readonly optimizer: AdamW;
  private readonly instances = new Map<RegularizerId, RegularizerInstance<Record<string, unknown>>>();
  private readonly allOneHot: tf.Tensor;
  private readonly allTargets: tf.Tensor;
  private trainRows: Int32Array = new Int32Array(0);
  private outerRows: Int32Array = new Int32Array(0);
  private fullBatch: Batch | null = null;
  /** Data-parallel: this shard's rows of the full batch (fullBatch stays whole for evaluation's probe). */
  private shardBatch: { batch: Batch; rows: number } | null = null;
  private readonly reducer: GradientReducer | null;
  private outerBatch: Batch | null = null;
  private batchOrder: Int32Array = new Int32Array(0);
  private batchCursor = 0;
  private batchEpoch = 0;
  private stepCount = 0;
  private trainingMs = 0;
  private lastTrainAccuracy: number | null = null;
  /** +1 / −1 when this run's task has the progress measures (a ± b mod p with all p² pairs), else null. */
  private readonly progressSign: 1 | -1 | null;
  /**
   * The whole table's logits at the latest evaluation that had progress measures (row order of the dataset), for
   * the after-the-run analysis (nandaProgress.ts), which needs the final model's key frequencies. Null otherwise.
   */
  lastProgressLogits: { step: number; logits: Float32Array } | null = null;
  readonly initialWeightNorm: number;
  readonly initialParameterNorms: Readonly<Record<string, number>>;

  constructor(config: Config, options: TrainerOptions = {}) {
    this.configValue = config;
    this.reducer = options.gradientReducer ?? null;
    const id = ++trainerCount;
    const modelDefinition = MODELS[config.model.kind];
    this.dataset = buildDataset(config.task, config.seed, modelDefinition.sequence);
    this.model = modelDefinition.create(config.model, this.dataset);
    const initial = this.model.initialize(createRandom(deriveSeed(config.seed, 'init')));
    for (const info of this.model.parameterInfo) {
      this.parameters[info.name] = tf.tidy(() =>
        tf.variable(tf.tensor(initial[info.name], info.shape), true, `run${id}/${info.name}`),
      );
    }
    this.optimizer = new AdamW(this.parameters);
    // From the host-side initial values, not read back from the backend: on WebGPU a synchronous read goes through
    // an OffscreenCanvas path that, in a worker on a SwiftShader adapter, breaks every later mapAsync ("A valid
    // external Instance reference no longer exists"), and it is slow everywhere else.
    const squares = Object.fromEntries(
      this.model.parameterInfo.map((info) => [
        info.name,
        initial[info.name].reduce((sum, x) => sum + x * x, 0),
      ]),
    );
    this.initialWeightNorm = Math.sqrt(Object.values(squares).reduce((sum, x) => sum + x, 0));
    this.initialParameterNorms = Object.fromEntries(
      Object.entries(squares).map(([name, square]) => [name, Math.sqrt(square)]),
    );
    const { dataset } = this;
    this.allOneHot = tf.tidy(() =>
      tf.oneHot(
        tf.tensor2d(dataset.inputs, [exampleTotal(dataset), dataset.sequenceLength], 'int32'),
        dataset.vocabSize,
      ),
    );
    this.allTargets = tf.tidy(() => tf.oneHot(tf.tensor1d(dataset.targets, 'int32'), dataset.numClasses));
    this.syncRegularizers();
    this.prepareRows();
    const support = progressSupport(config.task);
    const { grid } = this.dataset;
    this.progressSign =
      support.defined &&
      this.dataset.answerLength === 1 &&
      grid !== undefined &&
      grid.size === this.dataset.numClasses &&
      exampleTotal(this.dataset) === grid.size * grid.size &&
      this.parameters['embedding'] !== undefined
        ? support.sign
        : null;
  }

  get config(): Config {
    return this.configValue;
  }

  get step(): number {
    return this.stepCount;
  }

  /** Rows of the training split the optimizer sees (the split minus NeuralGrok's held-out slice, if on). */
  get trainingRowCount(): number {
    return this.trainRows.length;
  }

  private parameterMap(): ModelParameters {
    return this.parameters;
  }

  private readScalar(tensor: tf.Tensor): number {
    const value = tensor.dataSync()[0];
    tensor.dispose();
    return value;
  }

  /** Builds or frees regularizer instances to match the config (state resets when a method is switched off). */
  private syncRegularizers(): void {
    for (const id of REGULARIZER_IDS) {
      const enabled = this.configValue.regularizers[id].enabled;
      const existing = this.instances.get(id);
      if (enabled && !existing) {
        this.instances.set(
          id,
          REGULARIZER_IMPLEMENTATIONS[id].create() as RegularizerInstance<Record<string, unknown>>,
        );
      } else if (!enabled && existing) {
        existing.dispose();
        this.instances.delete(id);
      }
    }
  }

  private active(): {
    id: RegularizerId;
    instance: RegularizerInstance<Record<string, unknown>>;
    params: Record<string, unknown>;
  }[] {
    return REGULARIZER_IDS.filter((id) => this.instances.has(id)).map((id) => ({
      id,
      instance: this.instances.get(id)!,
      params: this.configValue.regularizers[id] as unknown as Record<string, unknown>,
    }));
  }

  private wantsHeldOut(): boolean {
    return REGULARIZER_IDS.some(
      (id) =>
        this.configValue.regularizers[id].enabled && (REGULARIZERS[id] as RegularizerDefinition).usesHeldOut,
    );
  }

  /** Splits training rows into the optimizer's rows and (when needed) the held-out outer slice. */
  private prepareRows(): void {
    const train: number[] = [];
    this.dataset.isTrain.forEach((flag, index) => flag && train.push(index));
    const order = permutation(train.length, createRandom(deriveSeed(this.configValue.seed, 'held-out')));
    const outerCount = this.wantsHeldOut() ? Math.max(1, Math.round(train.length * HELD_OUT_FRACTION)) : 0;
    const outer = new Set(Array.from(order.slice(0, outerCount), (i) => train[i]));
    this.trainRows = Int32Array.from(train.filter((row) => !outer.has(row)));
    this.outerRows = Int32Array.from(train.filter((row) => outer.has(row)));
    this.fullBatch?.oneHot.dispose();
    this.fullBatch?.targets.dispose();
    this.outerBatch?.oneHot.dispose();
    this.outerBatch?.targets.dispose();
    this.fullBatch = this.gatherRows(this.trainRows);
    if (this.shardBatch) tf.dispose([this.shardBatch.batch.oneHot, this.shardBatch.batch.targets]);
    this.shardBatch = null;
    if (this.reducer) {
      const rows = this.shardRows(this.trainRows);
      this.shardBatch = { batch: this.gatherRows(rows), rows: rows.length };
    }
    this.outerBatch = this.outerRows.length > 0 ? this.gatherRows(this.outerRows) : null;
    this.batchOrder = new Int32Array(0);
    this.batchCursor = 0;
  }

  private gatherRows(rows: Int32Array): Batch {
    return tf.tidy(() => {
      const index = tf.tensor1d(rows, 'int32');
      return { oneHot: tf.keep(tf.gather(this.allOneHot, index)), targets: tf.keep(this.targetsFor(index)) };
    });
  }

  /** One-hot targets [rows·K, C] for example indices. */
  private targetsFor(index: tf.Tensor1D): tf.Tensor {
    const k = this.dataset.answerLength;
    if (k === 1) return tf.gather(this.allTargets, index);
    const expanded = tf.add(
      tf.mul(tf.expandDims(index, 1), tf.scalar(k, 'int32')),
      tf.range(0, k, 1, 'int32'),
    );
    return tf.gather(this.allTargets, tf.reshape(expanded, [-1]));
  }

  private batchSize(): number {
    const size = this.configValue.optimizer.batchSize;
    return size <= 0 || size >= this.trainRows.length ? 0 : size;
  }

  /** Data-parallel: this shard's contiguous part of a batch's rows (shard.ts); otherwise all of them. */
  private shardRows(rows: Int32Array): Int32Array {
    if (!this.reducer) return rows;
    const { start, end } = shardRange(rows.length, this.reducer.shard);
    return rows.slice(start, end);
  }

  /**
   * The full training batch, or the next minibatch of a seeded per-epoch shuffle (data-parallel: this shard's
   * rows of it; every shard draws the same batch). Caller disposes minibatches.
   */
  private nextBatch(): { batch: Batch; owned: boolean; rows: number } {
    const size = this.batchSize();
    if (size === 0) {
      if (this.shardBatch) return { ...this.shardBatch, owned: false };
      return { batch: this.fullBatch!, owned: false, rows: this.trainRows.length };
    }
    if (this.batchCursor + size > this.batchOrder.length) {
      this.batchOrder = permutation(
        this.trainRows.length,
        createRandom(deriveSeed(this.configValue.seed, `batches-${this.batchEpoch}`)),
      );
      this.batchEpoch++;
      this.batchCursor = 0;
    }
    const rows = this.shardRows(
      Int32Array.from(
        this.batchOrder.slice(this.batchCursor, this.batchCursor + size),
        (i) => this.trainRows[i],
      ),
    );
    this.batchCursor += size;
    return { batch: this.gatherRows(rows), owned: true, rows: rows.length };
  }

  private context(): RegularizerContext {
    return {
      step: this.stepCount,
      lastTrainAccuracy: this.lastTrainAccuracy,
      parameters: this.parameterMap(),
      parameterInfo: this.model.parameterInfo,
      sites: this.model.sites,
      initialWeightNorm: this.initialWeightNorm,
      initialParameterNorms: this.initialParameterNorms,
      seed: this.configValue.seed,
    };
  }

  private trainingLoss(
    parameters: ModelParameters,
    batch: Batch,
    active: ReturnType<Trainer['active']>,
    context: RegularizerContext,
  ): tf.Scalar {
    const { logits, activations } = this.model.forward(parameters, batch.oneHot);
    const flat = tf.reshape(logits, [-1, this.dataset.numClasses]);
    const lossOverride = active.find((entry) => entry.instance.crossEntropy);
    const dataLoss = lossOverride
      ? lossOverride.instance.crossEntropy!(flat, batch.targets, lossOverride.params)
      : crossEntropy(flat, batch.targets);
    const terms: tf.Scalar[] = [dataLoss];
    for (const { instance, params } of active) {
      const term = instance.lossTerm?.({ ...context, activations }, params);
      if (term) terms.push(term);
    }
    return terms.length === 1 ? dataLoss : (addAll(terms) as tf.Scalar);
  }

  /** One optimizer step on one batch. Synchronous on CPU backends; queued work on GPU backends. */
  trainStep(): void {
    const started = performance.now();
    if (this.reducer) this.lastTrainAccuracy = this.reducer.agree(this.lastTrainAccuracy);
    const active = this.active();
    const context = this.context();
    const { batch, owned, rows } = this.nextBatch();
    const variables = Object.values(this.parameters);
    const names = Object.keys(this.parameters);
    const { value, grads } = tf.variableGrads(
      () => this.trainingLoss(this.parameters, batch, active, context),
      variables,
    );
    let gradients: tf.NamedTensorMap = {};
    names.forEach((name, i) => (gradients[name] = grads[variables[i].name]));
    if (this.reducer) {
      const mean = this.reducer.reduce(gradients, rows);
      tf.dispose(gradients);
      gradients = mean;
    }
    for (const { instance, params } of active) {
      if (!instance.transformGradients) continue;
      const next = instance.transformGradients(gradients, context, params);
      disposeReplaced(gradients, next);
      gradients = next;
    }
    const decay = active.reduce(
      (sum, { instance, params }) => sum + (instance.decoupledDecay?.(params) ?? 0),
      0,
    );
    this.optimizer.apply(gradients, this.configValue.optimizer, decay);
    tf.dispose(gradients);
    value.dispose();
    if (owned) tf.dispose([batch.oneHot, batch.targets]);
    this.stepCount++;
    if (active.some((entry) => entry.instance.afterStep)) {
      const metaContext = this.metaContext();
      for (const { instance, params } of active) instance.afterStep?.(metaContext, params);
    }
    this.trainingMs += performance.now() - started;
  }

  private metaContext(): MetaContext {
    return {
      ...this.context(),
      outerLoss: (parameters) => {
        const outer = this.outerBatch ?? this.fullBatch!;
        const { logits } = this.model.forward(parameters, outer.oneHot);
        return crossEntropy(tf.reshape(logits, [-1, this.dataset.numClasses]), outer.targets);
      },
    };
  }

  /** Loss and accuracy on both splits, activation radii, gradient geometry, and the regularizers' scalars. */
  async evaluate(): Promise<Evaluation> {
    const { dataset } = this;
    const count = exampleTotal(dataset);
    const k = dataset.answerLength;
    const sites = this.model.sites;
    const lossParts: tf.Tensor[] = [];
    const correctParts: tf.Tensor[] = [];
    const predictionParts: tf.Tensor[] = [];
    // Kept only for the progress measures; K = 1 there, so each row of `flat` is one example's logits.
    const logitParts: tf.Tensor[] = [];
    const withProgress = this.progressSign !== null;
    let radiusSums: tf.Tensor | null = null;
    let radiusRows = 0;
    /** Each site's activation shape without the example axis (for the geometry probe's zero tensors). */
    const siteShapes: Record<string, number[]> = {};
    for (let start = 0; start < count; start += EVAL_CHUNK) {
      const size = Math.min(EVAL_CHUNK, count - start);
      const parts = tf.tidy(() => {
        const oneHot = tf.slice(this.allOneHot, [start, 0, 0], [size, -1, -1]);
        const targets = tf.slice(this.allTargets, [start * k, 0], [size * k, -1]);
        const { logits, activations } = this.model.forward(this.parameters, oneHot);
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
    const geometry = this.gradientGeometry(siteShapes);
    const weightNorm = globalNorm(Object.values(this.parameters));
    const scalarEntries = this.active().flatMap(({ id, instance }) =>
      Object.entries(instance.scalars()).map(([name, scalar]) => ({ id, name, scalar })),
    );
    // Read alongside the rest (one wait); the host does the O(p³) Fourier fit, cheaper than a round of small kernels.
    const progressReads = gathered.logits
      ? Promise.all([gathered.logits.data(), this.parameters['embedding'].data()])
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
        ...scalarEntries.map(({ scalar }) => readLive(scalar)),
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
    scalarEntries.forEach(({ id, name }, i) => {
      (regularizers[id] ??= {})[name] = scalarValues[i];
    });
    this.lastTrainAccuracy = summary.trainAccuracy;
    const record: MetricRecord = {
      step: this.stepCount,
      ...summary,
      weightNorm: norm[0],
      activationRadius,
      radiusRatio,
      radialShare,
      gradientEntropy: entropy[0],
      regularizers,
      learningRate: this.optimizer.learningRate(this.configValue.optimizer),
      trainingMs: this.trainingMs,
    };
    if (progressValues && this.progressSign !== null) {
      const [logits, embedding] = progressValues;
      const grid = dataset.grid!;
      const shape = this.parameters['embedding'].shape as [number, number];
      this.lastProgressLogits = { step: this.stepCount, logits: logits as Float32Array };
      record.progress = progressMeasures(
        {
          logits: logits as Float32Array,
          a: grid.a,
          b: grid.b,
          targets: dataset.targets,
          isTrain: dataset.isTrain,
          p: grid.size,
          sign: this.progressSign,
        },
        { values: embedding as Float32Array, shape },
      );
    }
    this.history.push(record);
    return { record, predictions: Int32Array.from(predictions) };
  }

  /** Radial share per site and AGE, from one extra forward/backward pass on (up to PROBE_ROWS of) the training batch. */
  private gradientGeometry(siteShapes: Record<string, number[]>): { shares: tf.Tensor; entropy: tf.Tensor } {
    return tf.tidy(() => {
      const rows = Math.min(PROBE_ROWS, this.trainRows.length);
      const batch = this.fullBatch!;
      const oneHot = tf.slice(batch.oneHot, [0, 0, 0], [rows, -1, -1]);
      const targets = tf.slice(batch.targets, [0, 0], [rows * this.dataset.answerLength, -1]);
      // The probes are zeros, so they change nothing but expose ∂L/∂h. Their shapes are the evaluation pass's
      // (every activation is [examples, ...]), which saves a forward pass here.
      const probes = this.model.sites.map((site) => tf.zeros([rows, ...siteShapes[site.name]]));
      const variables = Object.values(this.parameters);
      const sites = this.model.sites;
      let captured: Record<string, tf.Tensor> = {};
      const lossOf = (...inputs: tf.Tensor[]): tf.Scalar => {
        const probeMap: Record<string, tf.Tensor> = {};
        sites.forEach((site, i) => (probeMap[site.name] = inputs[i]));
        const parameters: ModelParameters = {};
        Object.keys(this.parameters).forEach((name, i) => (parameters[name] = inputs[sites.length + i]));
        const { logits, activations } = this.model.forward(parameters, oneHot, { probes: probeMap });
        // tf.grads frees f's intermediates; the activations are needed afterwards, so keep them.
        captured = Object.fromEntries(
          Object.entries(activations).map(([name, value]) => [name, tf.keep(value)]),
        );
        return crossEntropy(tf.reshape(logits, [-1, this.dataset.numClasses]), targets);
      };
      const gradients = tf.grads(lossOf)([...probes, ...variables]);
      const shares = tf.stack(sites.map((site, i) => radialEnergyShare(captured[site.name], gradients[i])));
      const entropy = absoluteGradientEntropy(gradients.slice(sites.length));
      tf.dispose(Object.values(captured));
      return { shares, entropy };
    });
  }

  /**
   * Applies a partial config between two steps. Only regularizers, optimizer and training settings can change
   * mid-run; each changed leaf is recorded as an event. Returns the issues instead when the result is invalid.
   */
  update(
    patch: DeepPartial<Config>,
  ): { ok: true; events: ConfigEvent[] } | { ok: false; issues: ConfigIssue[] } {
    const fixed = Object.keys(patch).filter((key) => !(LIVE_SECTIONS as readonly string[]).includes(key));
    if (fixed.length > 0) {
      return {
        ok: false,
        issues: fixed.map((key) => ({
          path: key,
          message: 'cannot change mid-run; reset the run with the new value',
        })),
      };
    }
    const result = validateConfig(deepMerge(this.configValue, patch));
    if (!result.ok) return result;
    const events: ConfigEvent[] = [];
    for (const path of leafPaths(patch)) {
      const from = getPath(this.configValue, path);
      const to = getPath(result.config, path);
      if (from === to) continue;
      const [section, id] = path.split('.');
      events.push({
        step: this.stepCount,
        regularizer: section === 'regularizers' ? id : section,
        path,
        from,
        to,
      });
    }
    const heldOutBefore = this.wantsHeldOut();
    this.configValue = result.config;
    this.syncRegularizers();
    if (this.wantsHeldOut() !== heldOutBefore) this.prepareRows();
    appendAll(this.events, events);
    return { ok: true, events };
  }

  /** Current values of one parameter (e.g. the embedding table for the Fourier view). */
  async readParameter(name: string): Promise<{ values: Float32Array; shape: number[] }> {
    const parameter = this.parameters[name];
    if (!parameter) throw new Error(`no parameter named ${name}`);
    return { values: (await parameter.data()) as Float32Array, shape: parameter.shape };
  }

  /**
   * Resolves once the backend has finished every queued step. GPU backends only queue work in trainStep(), so a
   * caller timing steps or keeping its event loop responsive awaits this once per batch of steps (never per step).
   * Reads back one element: queues execute in order, so it completes after everything issued before it. It reads
   * from the largest parameter, which surely lives on the GPU (WebGPU keeps tiny tensors on the CPU).
   */
  async settle(): Promise<void> {
    const largest = Object.values(this.parameters).reduce<tf.Variable | null>(
      (best, parameter) => (!best || parameter.size > best.size ? parameter : best),
      null,
    );
    if (!largest) return;
    const probe = tf.tidy(() => tf.slice(tf.reshape(largest, [-1]), 0, 1));
    await probe.data();
    probe.dispose();
  }

  async getState(): Promise<TrainerState> {
    const parameters: Record<string, Float32Array> = {};
    for (const [name, parameter] of Object.entries(this.parameters)) {
      parameters[name] = (await parameter.data()) as Float32Array;
    }
    return {
      config: this.configValue,
      step: this.stepCount,
      parameters,
      optimizer: await this.optimizer.getState(),
      history: [...this.history],
      events: [...this.events],
      batchEpoch: this.batchEpoch,
      regularizers: await this.regularizerStates(),
    };
  }

  private async regularizerStates(): Promise<Record<string, RegularizerState>> {
    const states: Record<string, RegularizerState> = {};
    for (const { id, instance } of this.active()) {
      const state = await instance.getState?.();
      if (state) states[id] = state;
    }
    return states;
  }

  /** Restores a state taken from a trainer built with the same task and model. */
  setState(state: TrainerState): void {
    for (const [name, parameter] of Object.entries(this.parameters)) {
      const values = state.parameters[name];
      if (!values || values.length !== parameter.size)
        throw new Error(`snapshot has no matching values for ${name}`);
      tf.tidy(() => parameter.assign(tf.tensor(values, parameter.shape)));
    }
    this.optimizer.setState(state.optimizer);
    this.stepCount = state.step;
    // Copied without spreading: a long run's history (100 000+ evaluations) exceeds a call's argument limit.
    replaceContents(this.history, state.history);
    replaceContents(this.events, state.events);
    this.lastTrainAccuracy = state.history.at(-1)?.trainAccuracy ?? null;
    this.trainingMs = state.history.at(-1)?.trainingMs ?? 0;
    this.batchEpoch = state.batchEpoch;
    for (const { id, instance } of this.active()) {
      const saved = state.regularizers?.[id];
      if (saved) instance.setState?.(saved);
    }
  }

  dispose(): void {
    for (const instance of this.instances.values()) instance.dispose();
    this.instances.clear();
    this.optimizer.dispose();
    tf.dispose(Object.values(this.parameters));
    tf.dispose([this.allOneHot, this.allTargets]);
    if (this.fullBatch) tf.dispose([this.fullBatch.oneHot, this.fullBatch.targets]);
    if (this.shardBatch) tf.dispose([this.shardBatch.batch.oneHot, this.shardBatch.batch.targets]);
    if (this.outerBatch) tf.dispose([this.outerBatch.oneHot, this.outerBatch.targets]);
    this.model.dispose?.();
  }
}

function exampleTotal(dataset: Dataset): number {
  return dataset.isTrain.length;
}

async function readLive(scalar: LiveScalar): Promise<number> {
  return typeof scalar === 'number' ? scalar : (await scalar.data())[0];
}

/** Disposes tensors of `before` that `after` no longer holds. */
function disposeReplaced(before: tf.NamedTensorMap, after: tf.NamedTensorMap): void {
  const kept = new Set(Object.values(after));
  for (const tensor of Object.values(before)) if (!kept.has(tensor)) tensor.dispose();
}
