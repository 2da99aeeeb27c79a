/**
 * One run's training on tfjs, top to bottom: construct (dataset tensors, parameters, optimizer, regularizers) →
 * trainStep (forward, loss, gradient stages, optimizer) → evaluate → update, save and restore. Every tensor the run
 * keeps is owned here or by a part it owns and frees in dispose() (the leak invariant, tf.memory().numTensors flat
 * over a run, is tested): the batches (trainer/batches.ts), the evaluation (trainer/evaluation.ts), the regularizer
 * instances (regularizers/active.ts), the optimizer's moments.
 */
import * as tf from '@tensorflow/tfjs-core';
import { addAll } from './ops';
import { deepMerge, validateConfig, type Config, type ConfigIssue, type DeepPartial } from './config';
import { crossEntropy } from './loss';
import { hostNorms } from './metrics/norms';
import type { Model } from './models/model';
import { MODELS } from './models/registry';
import { AdamW } from './optimizer';
import { createRandom, deriveSeed } from './random';
import { ActiveRegularizers, usesHeldOut, type ActiveRegularizer } from './regularizers/active';
import type { MetaContext, RegularizerContext } from './regularizers/spec';
import type { Dataset } from './tasks/dataset';
import { buildDataset } from './tasks/registry';
import { appendAll, replaceContents } from './arrays';
import { Batches, type Batch, type RowSelection } from './trainer/batches';
import { measure, progressSign } from './trainer/evaluation';
import { configEvents } from './configEvents';
import type { ConfigEvent, MetricRecord } from './records';
import type { TrainerState } from './snapshot';

export interface Evaluation {
  record: MetricRecord;
  /** Predicted class at the first answer position, per example (the prediction grid). */
  predictions: Int32Array;
}

/**
 * What a caller adds around every step without the trainer knowing what for: data-parallel training
 * (src/engine/dataParallel/) trains each worker on its rows of the batch, averages the raw gradient over the
 * workers and shares the leader's last training accuracy. The stages after it (gradient transforms, decay, the
 * optimizer) run on the gradient it returns.
 */
export interface GradientHook {
  /** The rows of each batch this trainer computes its gradient on (default: all of them). */
  selectRows?: RowSelection;
  /** At the start of each step: the last training accuracy the step's regularizers see, given this trainer's. */
  lastTrainAccuracy?(own: number | null): number | null;
  /** The raw gradients (of the loss's mean over `rows` rows) → new tensors; the trainer disposes both. */
  transform(gradients: tf.NamedTensorMap, rows: number): tf.NamedTensorMap;
}

export interface TrainerOptions {
  gradientHook?: GradientHook;
}

/** Sections that may change between two steps; anything else needs a new run. */
const LIVE_SECTIONS = ['regularizers', 'optimizer', 'training'] as const;

let trainerCount = 0;

/**
 * Owns one run: dataset tensors, parameters, optimizer and regularizer state, and the lifetime of every tensor
 * they create. `step()` trains on one batch; `evaluate()` measures; `update()` changes the config between steps.
 */
export class Trainer {
  readonly dataset: Dataset;
  readonly model: Model;
  readonly history: MetricRecord[] = [];
  readonly events: ConfigEvent[] = [];
  readonly initialWeightNorm: number;
  readonly initialParameterNorms: Readonly<Record<string, number>>;
  /**
   * The whole table's logits at the latest evaluation that had progress measures (row order of the dataset), for
   * the after-the-run analysis (nandaProgress.ts), which needs the final model's key frequencies. Null otherwise.
   */
  lastProgressLogits: { step: number; logits: Float32Array } | null = null;
  private configValue: Config;
  private readonly parameters: Record<string, tf.Variable> = {};
  private readonly optimizer: AdamW;
  private readonly regularizers: ActiveRegularizers;
  private readonly batches: Batches;
  private readonly hook: GradientHook | null;
  /** +1 / −1 when this run's task has the progress measures (a ± b mod p with all p² pairs), else null. */
  private readonly progressSign: 1 | -1 | null;
  private stepCount = 0;
  private trainingMs = 0;
  private lastTrainAccuracy: number | null = null;

  constructor(config: Config, options: TrainerOptions = {}) {
    this.configValue = config;
    this.hook = options.gradientHook ?? null;
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
    const norms = hostNorms(this.model.parameterInfo.map((info) => [info.name, initial[info.name]]));
    this.initialWeightNorm = norms.total;
    this.initialParameterNorms = norms.byName;
    this.batches = new Batches(this.dataset, config.seed, this.hook?.selectRows);
    this.regularizers = new ActiveRegularizers(config.regularizers);
    this.batches.split(usesHeldOut(config.regularizers));
    this.progressSign = progressSign(config.task, this.dataset, Object.keys(this.parameters));
  }

  get config(): Config {
    return this.configValue;
  }

  get step(): number {
    return this.stepCount;
  }

  /** Rows of the training split the optimizer sees (the split minus NeuralGrok's held-out slice, if on). */
  get trainingRowCount(): number {
    return this.batches.trainingRowCount;
  }

  /** One optimizer step on one batch. Synchronous on CPU backends; queued work on GPU backends. */
  trainStep(): void {
    const started = performance.now();
    if (this.hook?.lastTrainAccuracy)
      this.lastTrainAccuracy = this.hook.lastTrainAccuracy(this.lastTrainAccuracy);
    const active = this.regularizers.list(this.configValue.regularizers);
    const context = this.context();
    const { batch, owned, rows } = this.batches.next(this.configValue.optimizer.batchSize);
    const variables = Object.values(this.parameters);
    const { value, grads } = tf.variableGrads(() => this.trainingLoss(batch, active, context), variables);
    let gradients: tf.NamedTensorMap = {};
    Object.keys(this.parameters).forEach((name, i) => (gradients[name] = grads[variables[i].name]));
    // The gradient stages: the hook's (data-parallel: the mean over the workers), then each method's transform.
    if (this.hook) gradients = replaced(gradients, this.hook.transform(gradients, rows));
    for (const { instance, params } of active) {
      if (!instance.transformGradients) continue;
      gradients = replaced(gradients, instance.transformGradients(gradients, context, params));
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

  /** The data loss (or a method's replacement for cross-entropy) plus every active method's loss term. */
  private trainingLoss(batch: Batch, active: ActiveRegularizer[], context: RegularizerContext): tf.Scalar {
    const { logits, activations } = this.model.forward(this.parameters, batch.oneHot);
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

  private context(): RegularizerContext {
    return {
      step: this.stepCount,
      lastTrainAccuracy: this.lastTrainAccuracy,
      parameters: this.parameters,
      parameterInfo: this.model.parameterInfo,
      sites: this.model.sites,
      initialWeightNorm: this.initialWeightNorm,
      initialParameterNorms: this.initialParameterNorms,
      seed: this.configValue.seed,
    };
  }

  private metaContext(): MetaContext {
    return {
      ...this.context(),
      outerLoss: (parameters) => {
        const outer = this.batches.heldOut ?? this.batches.training;
        const { logits } = this.model.forward(parameters, outer.oneHot);
        return crossEntropy(tf.reshape(logits, [-1, this.dataset.numClasses]), outer.targets);
      },
    };
  }

  /** Loss and accuracy on both splits, activation radii, gradient geometry, and the regularizers' scalars. */
  async evaluate(): Promise<Evaluation> {
    const measured = await measure({
      model: this.model,
      dataset: this.dataset,
      parameters: this.parameters,
      examples: this.batches.examples,
      training: this.batches.training,
      trainingRows: this.batches.trainingRowCount,
      progressSign: this.progressSign,
      liveScalars: this.regularizers.liveScalars(),
    });
    this.lastTrainAccuracy = measured.metrics.trainAccuracy;
    const record: MetricRecord = {
      step: this.stepCount,
      ...measured.metrics,
      learningRate: this.optimizer.learningRate(this.configValue.optimizer),
      trainingMs: this.trainingMs,
    };
    if (measured.progress && measured.progressLogits) {
      this.lastProgressLogits = { step: this.stepCount, logits: measured.progressLogits };
      record.progress = measured.progress;
    }
    this.history.push(record);
    return { record, predictions: measured.predictions };
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
    const events = configEvents(this.configValue, result.config, patch, this.stepCount);
    const heldOutBefore = usesHeldOut(this.configValue.regularizers);
    this.configValue = result.config;
    this.regularizers.sync(this.configValue.regularizers);
    const heldOut = usesHeldOut(this.configValue.regularizers);
    if (heldOut !== heldOutBefore) this.batches.split(heldOut);
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
      batchEpoch: this.batches.epoch,
      regularizers: await this.regularizers.getStates(),
    };
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
    this.batches.epoch = state.batchEpoch;
    this.regularizers.setStates(state.regularizers);
  }

  dispose(): void {
    this.regularizers.dispose();
    this.optimizer.dispose();
    tf.dispose(Object.values(this.parameters));
    this.batches.dispose();
    this.model.dispose?.();
  }
}

/** `after`, once the tensors of `before` that it no longer holds are disposed. */
function replaced(before: tf.NamedTensorMap, after: tf.NamedTensorMap): tf.NamedTensorMap {
  const kept = new Set(Object.values(after));
  for (const tensor of Object.values(before)) if (!kept.has(tensor)) tensor.dispose();
  return after;
}
