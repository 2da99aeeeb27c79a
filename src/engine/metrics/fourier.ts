/**
 * Fourier analysis of the token embeddings (Nanda et al. 2023, "Progress measures for grokking via mechanistic
 * interpretability"): a network that has grokked modular addition represents each number x by waves
 * cos(2πkx/p), sin(2πkx/p) at a few key frequencies k. Projecting the embedding rows 0..p−1 onto that basis
 * shows the energy move from being spread over all frequencies to sitting on a handful.
 */

/** A row-major token-embedding table [vocab, dim], as the worker streams it. */
export interface EmbeddingTable {
  values: Float32Array;
  shape: readonly [number, number];
}

export interface FourierSpectrum {
  /** 1..floor(p/2). */
  frequencies: Int32Array;
  /**
   * ‖projection of the embedding onto {cos_k, sin_k}‖² summed over embedding dimensions, in the orthonormal
   * Fourier basis (so the energies of all k plus the constant term add up to the table's total energy).
   */
  energy: Float64Array;
  /** energy / Σ energy over k ≥ 1 (the constant term is left out): sums to 1, or is all 0 for a flat table. */
  share: Float64Array;
  /** Frequency with the largest share (1 when the table is flat). */
  peak: number;
}

function checkTable(values: ArrayLike<number>, shape: readonly [number, number], p: number): void {
  const [rows, dim] = shape;
  if (values.length < rows * dim)
    throw new RangeError(`table has ${values.length} values, shape says ${rows * dim}`);
  if (!Number.isInteger(p) || p < 2 || p > rows)
    throw new RangeError(`p must be an integer in 2..${rows}; got ${p}`);
}

/**
 * Coefficients of every embedding dimension on the orthonormal cos_k and sin_k vectors of length p,
 * i.e. c[d] = Σₓ E[x, d]·cos(2πkx/p)/‖cos_k‖ (likewise s). `sin_{p/2}` is identically 0 for even p.
 */
function frequencyCoefficients(
  values: ArrayLike<number>,
  dim: number,
  p: number,
  k: number,
): { cos: Float64Array; sin: Float64Array } {
  const cos = new Float64Array(dim);
  const sin = new Float64Array(dim);
  const nyquist = 2 * k === p;
  const cosScale = nyquist ? Math.sqrt(1 / p) : Math.sqrt(2 / p);
  const sinScale = nyquist ? 0 : Math.sqrt(2 / p);
  for (let x = 0; x < p; x++) {
    const angle = (2 * Math.PI * ((k * x) % p)) / p;
    const c = Math.cos(angle) * cosScale;
    const s = Math.sin(angle) * sinScale;
    const row = x * dim;
    for (let d = 0; d < dim; d++) {
      const v = values[row + d];
      cos[d] += v * c;
      sin[d] += v * s;
    }
  }
  return { cos, sin };
}

function squaredNorm(vector: Float64Array): number {
  let sum = 0;
  for (const v of vector) sum += v * v;
  return sum;
}

/** The spectrum of rows 0..p−1 of a row-major embedding table of the given shape [vocab, dim]. */
export function fourierSpectrum(
  values: ArrayLike<number>,
  shape: readonly [number, number],
  p: number,
): FourierSpectrum {
  checkTable(values, shape, p);
  const dim = shape[1];
  const count = Math.floor(p / 2);
  const frequencies = new Int32Array(count);
  const energy = new Float64Array(count);
  let total = 0;
  for (let i = 0; i < count; i++) {
    const k = i + 1;
    const { cos, sin } = frequencyCoefficients(values, dim, p, k);
    frequencies[i] = k;
    energy[i] = squaredNorm(cos) + squaredNorm(sin);
    total += energy[i];
  }
  // Rounding leaves ~1e-30 of "wave" energy in a flat table; call it flat relative to the rows' own energy.
  let rowsEnergy = 0;
  for (let i = 0; i < p * dim; i++) rowsEnergy += values[i] * values[i];
  const flat = total <= 1e-20 * rowsEnergy || total === 0;
  const share = new Float64Array(count);
  let peakIndex = 0;
  for (let i = 0; i < count; i++) {
    share[i] = flat ? 0 : energy[i] / total;
    if (share[i] > share[peakIndex]) peakIndex = i;
  }
  return { frequencies, energy, share, peak: count > 0 ? frequencies[peakIndex] : 0 };
}

/** The `count` frequencies with the largest share, strongest first (ties: lower k first). */
export function topFrequencies(spectrum: FourierSpectrum, count: number): number[] {
  return Array.from(spectrum.frequencies)
    .map((k, i) => ({ k, share: spectrum.share[i] }))
    .sort((x, y) => y.share - x.share || x.k - y.k)
    .slice(0, Math.max(0, count))
    .map((entry) => entry.k);
}

/** Share of the (non-constant) energy held by the `count` strongest frequencies: ≈ count/(p/2) before grokking, → 1 after. */
export function concentration(spectrum: FourierSpectrum, count: number): number {
  const sorted = Array.from(spectrum.share).sort((x, y) => y - x);
  return sorted.slice(0, Math.max(0, count)).reduce((sum, value) => sum + value, 0);
}

/**
 * Projects the (mean-centred) embedding rows 0..p−1 onto the plane spanned by the embedding's frequency-k
 * directions (Σₓ E[x]·cos_k(x) and Σₓ E[x]·sin_k(x), orthonormalized, larger first). After grokking the
 * numbers sit on a circle in this plane, x at angle ≈ 2πkx/p: the "clock". Returns p points, row-major [p, 2].
 */
export function frequencyPlane(
  values: ArrayLike<number>,
  shape: readonly [number, number],
  p: number,
  k: number,
): Float64Array {
  checkTable(values, shape, p);
  if (!Number.isInteger(k) || k < 1 || k > Math.floor(p / 2)) {
    throw new RangeError(`frequency must be an integer in 1..${Math.floor(p / 2)}; got ${k}`);
  }
  const dim = shape[1];
  const { cos, sin } = frequencyCoefficients(values, dim, p, k);
  const [first, second] = squaredNorm(cos) >= squaredNorm(sin) ? [cos, sin] : [sin, cos];
  const basis: Float64Array[] = [];
  for (const candidate of [first, second]) {
    const vector = Float64Array.from(candidate);
    for (const previous of basis) {
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += vector[d] * previous[d];
      for (let d = 0; d < dim; d++) vector[d] -= dot * previous[d];
    }
    const norm = Math.sqrt(squaredNorm(vector));
    // A direction with (numerically) no energy contributes a zero axis rather than amplified noise.
    const reference = Math.sqrt(squaredNorm(first));
    if (norm <= 1e-12 * Math.max(1, reference)) basis.push(new Float64Array(dim));
    else basis.push(vector.map((v) => v / norm));
  }
  const mean = new Float64Array(dim);
  for (let x = 0; x < p; x++) for (let d = 0; d < dim; d++) mean[d] += values[x * dim + d] / p;
  const points = new Float64Array(p * 2);
  for (let x = 0; x < p; x++) {
    for (let axis = 0; axis < 2; axis++) {
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += (values[x * dim + d] - mean[d]) * basis[axis][d];
      points[x * 2 + axis] = dot;
    }
  }
  return points;
}
