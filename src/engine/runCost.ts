import type { Config } from './configSchema';

/**
 * What a run will cost before anything is built: parameters, memory (dataset tensors, parameters and optimizer
 * state, the activations of one full-batch training step and of one evaluation chunk) and multiply-adds per step,
 * turned into an estimated time per step on the wasm backend and an estimated peak of tensor bytes.
 *
 * Pure arithmetic on the config (no tfjs, no dataset build): it runs on every keystroke in validateConfig. The
 * counts follow what models/mlp.ts, models/transformer.ts, ops.ts and trainer.ts actually allocate and multiply;
 * they are estimates (within about 2× of tf.profile's peak bytes and of measured ms/step: runCost.test.ts and
 * bench/runCost.ts), good enough to tell a run of milliseconds from one of minutes, or one that fits from one
 * that cannot.
 */

/**
 * Calibration (`npx tsx bench/runCost.ts`: CPU time per full-batch step and the wasm heap after two steps and an
 * evaluation; 2-core Intel Xeon, load average 10–15 while it ran, 2026-11-29):
 *
 * | case | ms/step | MACs/step | heap |
 * |---|---|---|---|
 * | mlp preset (p 31, 2×64→256) | 11.9 | 40 M | 19 MB |
 * | MLP p 97, 2×128→512, 30% | 113.5 | 1.05 G | 120 MB |
 * | classic preset (transformer p 97) | 301 | 2.55 G | 358 MB |
 * | transformer p 31, d 64 | 35.6 | 146 M | 48 MB |
 * | transformer p 113, 2 blocks, 80% | 3 637 | 27.5 G | 2.6 GB |
 *
 * Time = kernels × a fixed dispatch cost + multiply-adds / rate: the large cases give ≈ 8.5 G multiply-adds/s
 * (17 GFLOP/s, the low end of DESIGN.md §4b's plain wasm matMul), the small ones ≈ 55 µs per kernel (an MLP step
 * runs ≈ 140 kernels, a one-block transformer ≈ 310). Memory: the structural count of activations below times 3
 * (tfjs's autodiff materializes broadcasts, casts and every elementwise op's gradient), plus the 16 MB the wasm
 * module starts with. A school laptop is likely slower than this server core; the levels below leave room.
 */
export const WASM_MACS_PER_MS = 8.5e6;
export const KERNEL_MS = 0.055;
const ACTIVATION_FACTOR = 3;
const BASE_HEAP_BYTES = 16 * 1024 ** 2;

const GIB = 1024 ** 3;
const FLOAT_BYTES = 4;

/**
 * tfjs-wasm keeps every tensor in one WebAssembly memory, which a 32-bit wasm module cannot grow past 4 GiB: a run
 * whose tensors need more cannot be built in the browser at all (nor in the CLI, which uses the same backend).
 */
export const WASM_HEAP_BYTES = 4 * GIB;
/**
 * Above this the run may not fit on a school laptop: a 4 GB Chromebook (a common school machine) leaves one tab
 * roughly 1–1.5 GB after the OS and the browser, and Chrome kills a tab that goes beyond ("Aw, Snap!").
 */
export const WARN_BYTES = 1 * GIB;
/**
 * Above this a step is slow enough to ask first: the quickest presets need ≈ 1 000 steps to grok (over half an hour
 * at 2 s/step), the page only reacts between steps, and the classic preset (≈ 0.3–0.5 s/step here) stays well below.
 */
export const WARN_MS_PER_STEP = 2000;

/** Rows per evaluation chunk and gradient-geometry probe (trainer.ts EVAL_CHUNK, PROBE_ROWS). */
const EVAL_CHUNK = 2048;
const PROBE_ROWS = 1024;
/** tfjs-wasm's attention strategy switch (transformer.ts BROADCAST_LIMIT). */
const BROADCAST_LIMIT = 16_000_000;
/** NeuralGrok's amplifier φ: 2 → 32 → 32 → 1 applied to every gradient entry. */
const PHI_MACS_PER_ENTRY = 2 * 32 + 32 * 32 + 32;
const PHI_FLOATS_PER_ENTRY = 2 + 32 + 32 + 1;

export type RunCostLevel = 'ok' | 'warn' | 'refuse';

/** The shape of a task's dataset as the model sees it (tasks/*.ts), without building it. */
export interface TaskShape {
  /** All examples (train and test); for modular tasks p², an upper bound when some cells are undefined. */
  examples: number;
  trainRows: number;
  /** Tokens per example (T), answer positions (K), input vocabulary (V), classes per answer (C). */
  length: number;
  answers: number;
  vocab: number;
  classes: number;
}

export interface RunCost {
  level: RunCostLevel;
  shape: TaskShape;
  /** Rows in one optimizer step (the training split, or the minibatch). */
  batchRows: number;
  parameters: number;
  /** Multiply-adds of one training step (forward + backward) and of one evaluation (all rows + the probe). */
  stepMacs: number;
  evaluationMacs: number;
  msPerStep: number;
  msPerEvaluation: number;
  bytes: {
    /** One-hot inputs and targets of every example, plus the training batch's copy. */
    data: number;
    /** Parameters, gradients, Adam moments, the flat update's copies, regularizer state. */
    state: number;
    /** Activations and their gradients during one training step. */
    step: number;
    /** Activations of one evaluation chunk and of the gradient-geometry probe. */
    evaluation: number;
    /** The wasm module's own heap + data + state + the larger of step and evaluation: the wasm heap's peak. */
    peak: number;
  };
  /** Why the level is what it is (empty when ok). */
  reasons: string[];
}

export function taskShape(config: Config): TaskShape {
  const { task, model } = config;
  const sequence = model.kind === 'transformer';
  let examples: number;
  let length: number;
  let answers = 1;
  let vocab: number;
  let classes: number;
  switch (task.kind) {
    case 'modular':
    case 'table':
      examples = task.kind === 'table' ? Math.floor((task.table?.rows.length ?? 0) / 3) : task.modulus ** 2;
      length = sequence ? 3 : 2;
      vocab = sequence ? task.modulus + 1 : task.modulus;
      classes = task.modulus;
      break;
    case 'addition':
      examples = Math.min(10 ** (2 * task.digits), task.samples);
      answers = task.digits + 1;
      length = 2 * task.digits + 2 + answers - 1;
      vocab = 12;
      classes = 10;
      break;
    case 'parity':
      examples = task.samples;
      length = sequence ? task.parityBits + 1 : task.parityBits;
      vocab = sequence ? 3 : 2;
      classes = 2;
      break;
  }
  const trainRows = Math.max(
    0,
    Math.min(examples - 1, Math.max(1, Math.round(task.trainFraction * examples))),
  );
  return { examples, trainRows, length, answers, vocab, classes };
}

/** Per-example costs of the model: forward and backward multiply-adds, and activation floats kept for backward. */
interface ModelCost {
  parameters: number;
  forwardMacs: number;
  backwardMacs: number;
  /** Activations saved by the forward pass (what backward reads), per example. */
  activationFloats: number;
  /** The transient gradient buffers backward allocates on top, per example. */
  backwardFloats: number;
}

function mlpCost(config: Config, shape: TaskShape): ModelCost {
  const { embedDim: e, hiddenWidth: h, hiddenLayers: layers, combine, activation } = config.model;
  const { length: t, vocab: v, classes: c } = shape;
  const input = combine === 'concat' ? t * e : e;
  // mlp.ts: the factored first layer reads a [T·V, h] table through the one-hot input (concat only).
  const factored = combine === 'concat';
  const relu = activation === 'relu';
  const parameters = v * e + input * h + h + (layers - 1) * (h * h + h) + h * c + c;
  // The embedding product always runs (the embedding site is charted); without the factored path its weight
  // gradient flows back too.
  let forwardMacs = t * v * e;
  let backwardMacs = factored ? 0 : t * v * e + input * h;
  let activationFloats = t * e + c * 3;
  let backwardFloats = c;
  if (factored) {
    forwardMacs += t * v * h;
    // dataLinearRelu: weight gradient only; otherwise dense() also computes the one-hot input's gradient.
    backwardMacs += relu ? t * v * h : 2 * t * v * h;
    backwardFloats += t * v; // zerosLike of the one-hot input
  } else {
    forwardMacs += input * h;
    backwardMacs += input * h;
    backwardFloats += t * v;
  }
  forwardMacs += (layers - 1) * h * h + h * c;
  backwardMacs += 2 * ((layers - 1) * h * h + h * c);
  // Each hidden layer: its output (and, for gelu/tanh, the pre-activation), plus the relu mask in backward.
  activationFloats += layers * h * (relu ? 1 : 2);
  backwardFloats += layers * h * 2;
  return { parameters, forwardMacs, backwardMacs, activationFloats, backwardFloats };
}

function transformerCost(config: Config, shape: TaskShape, batchRows: number): ModelCost {
  const { dModel: d, dMlp: m, heads, layers, layerNorm } = config.model;
  const { length: t, answers: k, vocab: v, classes: c } = shape;
  let parameters = v * d + t * d + layers * (4 * d * d + 2 * d * m + m + d) + d * c;
  if (layerNorm) parameters += layers * 4 * d + 2 * d;
  let forwardMacs = t * v * d; // one-hot × embedding
  let backwardMacs = t * v * d; // the embedding's weight gradient (the one-hot gets zeros)
  let activationFloats = 2 * t * d; // token embeddings, + positions
  let backwardFloats = t * v; // zerosLike of the one-hot input
  for (let block = 0; block < layers; block++) {
    // transformer.ts prunes the last block to the answer positions.
    const q = block === layers - 1 ? k : t;
    const blockMacs = 2 * q * d * d + 2 * t * d * d + 2 * q * t * d + 2 * q * d * m;
    forwardMacs += blockMacs;
    backwardMacs += 2 * blockMacs;
    const broadcast = batchRows * q * t * d <= BROADCAST_LIMIT;
    const attention = broadcast ? 2 * q * t * d + 4 * q * t * heads : 3 * t * d + 4 * q * t * heads;
    activationFloats += q * d + 2 * t * d + attention + 4 * q * d + q * m + 2 * q * d;
    if (layerNorm) activationFloats += 4 * t * d;
    backwardFloats += t * d + q * m;
  }
  forwardMacs += k * d * c;
  backwardMacs += 2 * k * d * c;
  activationFloats += 3 * k * c;
  backwardFloats += k * c;
  return { parameters, forwardMacs, backwardMacs, activationFloats, backwardFloats };
}

/** The estimate for one config (see the module comment). */
export function estimateRunCost(config: Config): RunCost {
  const shape = taskShape(config);
  const size = config.optimizer.batchSize;
  const batchRows = size > 0 && size < shape.trainRows ? size : shape.trainRows;
  const model =
    config.model.kind === 'transformer' ? transformerCost(config, shape, batchRows) : mlpCost(config, shape);
  const p = model.parameters;
  const { regularizers } = config;

  // Parameters, gradients, Adam's two moments, and the flat update's concatenated θ and g (optimizer.ts).
  let stateFloats = 6 * p;
  let extraStepMacs = 0;
  let extraStepFloats = 0;
  if (regularizers.grokfast.enabled) {
    stateFloats += regularizers.grokfast.variant === 'ma' ? (regularizers.grokfast.window + 1) * p : p;
  }
  if (regularizers.neuralGrok.enabled) {
    stateFloats += 2 * p; // the last raw gradient, held for the meta step, and θ′
    extraStepMacs += PHI_MACS_PER_ENTRY * p * (1 + 3 / regularizers.neuralGrok.every);
    extraStepFloats += 2 * PHI_FLOATS_PER_ENTRY * p;
  }
  if (regularizers.orthoGrad.enabled) extraStepFloats += 2 * p;

  const rowFloats = shape.length * shape.vocab + shape.answers * shape.classes;
  const dataFloats = shape.examples * rowFloats + batchRows * rowFloats;
  const stepFloats = batchRows * (model.activationFloats * 2 + model.backwardFloats) + extraStepFloats;
  const chunk = Math.min(EVAL_CHUNK, shape.examples);
  const probe = Math.min(PROBE_ROWS, shape.trainRows);
  // Evaluation: forward passes over chunks of every example, then one forward + backward on the probe rows.
  const evaluationFloats = Math.max(
    chunk * model.activationFloats,
    probe * (model.activationFloats * 2 + model.backwardFloats),
  );
  const bytes = {
    data: dataFloats * FLOAT_BYTES,
    state: stateFloats * FLOAT_BYTES,
    step: ACTIVATION_FACTOR * stepFloats * FLOAT_BYTES,
    evaluation: ACTIVATION_FACTOR * evaluationFloats * FLOAT_BYTES,
    peak: 0,
  };
  bytes.peak = BASE_HEAP_BYTES + bytes.data + bytes.state + Math.max(bytes.step, bytes.evaluation);

  const optimizerMacs = 10 * p; // elementwise AdamW: a handful of passes over every parameter
  const stepMacs = batchRows * (model.forwardMacs + model.backwardMacs) + optimizerMacs + extraStepMacs;
  const evaluationMacs =
    shape.examples * model.forwardMacs + probe * (model.forwardMacs + model.backwardMacs + model.forwardMacs);
  const kernels =
    config.model.kind === 'transformer'
      ? 70 + 240 * config.model.layers
      : 100 + 40 * config.model.hiddenLayers;
  const msPerStep = kernels * KERNEL_MS + stepMacs / WASM_MACS_PER_MS;
  const chunks = Math.ceil(shape.examples / EVAL_CHUNK);
  const msPerEvaluation = (chunks + 2) * kernels * KERNEL_MS + evaluationMacs / WASM_MACS_PER_MS;

  const reasons: string[] = [];
  let level: RunCostLevel = 'ok';
  if (bytes.peak > WASM_HEAP_BYTES) {
    level = 'refuse';
    reasons.push(
      `needs ≈ ${formatBytes(bytes.peak)} for one step; the browser allows ≈ ${formatBytes(WASM_HEAP_BYTES)}`,
    );
  } else {
    if (bytes.peak > WARN_BYTES) {
      level = 'warn';
      reasons.push(
        `needs ≈ ${formatBytes(bytes.peak)} of memory, more than a school laptop can likely give one tab (≈ ${formatBytes(WARN_BYTES)})`,
      );
    }
    if (msPerStep > WARN_MS_PER_STEP || msPerEvaluation > 30 * WARN_MS_PER_STEP) {
      level = 'warn';
      reasons.push(
        `takes ≈ ${formatDuration(msPerStep)} per step here on WASM (${formatCount(stepMacs)} multiply-adds), so 1 000 steps take ≈ ${formatDuration(1000 * msPerStep)}`,
      );
    }
  }
  return {
    level,
    shape,
    batchRows,
    parameters: p,
    stepMacs,
    evaluationMacs,
    msPerStep,
    msPerEvaluation,
    bytes,
    reasons,
  };
}

export interface RunCostDescription {
  level: RunCostLevel;
  /** One readable paragraph: the numbers, and for warn/refuse why. */
  text: string;
  msPerStep: number;
  msPerEvaluation: number;
  /** Estimated peak tensor bytes. */
  bytes: number;
  parameters: number;
  trainRows: number;
  cost: RunCost;
}

/**
 * What the page shows before starting: `ok` needs no question, `warn` asks the user first (with this text),
 * `refuse` is also a validation issue (validateConfig), so it never reaches Start.
 */
export function describeRunCost(config: Config): RunCostDescription {
  const cost = estimateRunCost(config);
  const summary =
    `≈ ${formatCount(cost.parameters)} parameters, ${groupDigits(cost.batchRows)} rows per step, ` +
    `≈ ${formatBytes(cost.bytes.peak)} of memory, ≈ ${formatDuration(cost.msPerStep)} per step on WASM`;
  const text =
    cost.level === 'ok'
      ? `This run: ${summary}.`
      : cost.level === 'refuse'
        ? `This run cannot fit: it ${cost.reasons.join('; ')} (${summary}). Use a smaller modulus, train fraction or model.`
        : `This run will be heavy: it ${cost.reasons.join(', and ')} (${summary}). Start anyway?`;
  return {
    level: cost.level,
    text,
    msPerStep: cost.msPerStep,
    msPerEvaluation: cost.msPerEvaluation,
    bytes: cost.bytes.peak,
    parameters: cost.parameters,
    trainRows: cost.shape.trainRows,
    cost,
  };
}

/** The fields that drive a run's size, for the refusal issue's path (each gets the message beside it). */
export function sizeFields(config: Config): string[] {
  const model =
    config.model.kind === 'transformer'
      ? ['model.layers', 'model.dModel', 'model.dMlp']
      : ['model.embedDim', 'model.hiddenWidth', 'model.hiddenLayers'];
  const task =
    config.task.kind === 'modular'
      ? ['task.modulus', 'task.trainFraction']
      : config.task.kind === 'table'
        ? ['task.table', 'task.trainFraction']
        : ['task.samples', 'task.trainFraction'];
  return [...task, ...model];
}

/** The refusal as a validation message, or null when the run fits. */
export function runCostIssue(config: Config): string | null {
  const cost = estimateRunCost(config);
  return cost.level === 'refuse'
    ? `this run ${cost.reasons.join('; ')}: use a smaller model, modulus or train fraction`
    : null;
}

export function formatBytes(bytes: number): string {
  if (bytes >= GIB) return `${(bytes / GIB).toFixed(1).replace(/\.0$/, '')} GB`;
  if (bytes >= 1024 ** 2) return `${Math.round(bytes / 1024 ** 2)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(1, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(ms < 36_000_000 ? 1 : 0)} h`;
}

/** "65 388": the lab's digit grouping. */
function groupDigits(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)} k`;
  return String(Math.round(n));
}
