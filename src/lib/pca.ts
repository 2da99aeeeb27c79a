/**
 * Principal component analysis of a small table of row vectors (embedding rows), deterministic and
 * dependency-free: block power iteration (subspace iteration, the block form of power iteration with deflation)
 * with a Rayleigh–Ritz step on the smaller of the covariance XᵀX/(n−1) and the Gram matrix XXᵀ/(n−1).
 */

export interface PcaResult {
  /** Scores of every row on the components, row-major [n, k]. */
  points: Float64Array;
  /** k unit vectors of length d (a zero vector where the data has no variance left). */
  components: Float64Array[];
  /** Variance along each component (covariance eigenvalues), largest first. */
  variances: number[];
  /** variances / total variance. */
  explained: number[];
  /** Iterations the solver took. */
  iterations: number;
}

export interface PcaOptions {
  /** Use only the first `rows` rows of the table (e.g. the p operand tokens). Default: all. */
  rows?: number;
  /** Number of components. Default 2. */
  components?: number;
  /** Default 500: enough for display even when the top eigenvalues are nearly tied (a random embedding). */
  maxIterations?: number;
  /** Stop when every residual ‖Cv − λv‖ ≤ tolerance·λ₁. */
  tolerance?: number;
}

/** Eigen-decomposition of a small symmetric matrix (row-major m×m) by cyclic Jacobi rotations, largest first. */
export function symmetricEigen(
  matrix: ArrayLike<number>,
  m: number,
): { values: number[]; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(m * m);
  for (let i = 0; i < m; i++) v[i * m + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diagonal = 0;
    for (let i = 0; i < m; i++) {
      diagonal += a[i * m + i] ** 2;
      for (let j = i + 1; j < m; j++) off += a[i * m + j] ** 2;
    }
    if (off <= 1e-30 * Math.max(diagonal, 1e-300)) break;
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = a[p * m + q];
        if (apq === 0) continue;
        const theta = (a[q * m + q] - a[p * m + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < m; k++) {
          const akp = a[k * m + p];
          const akq = a[k * m + q];
          a[k * m + p] = c * akp - s * akq;
          a[k * m + q] = s * akp + c * akq;
        }
        for (let k = 0; k < m; k++) {
          const apk = a[p * m + k];
          const aqk = a[q * m + k];
          a[p * m + k] = c * apk - s * aqk;
          a[q * m + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < m; k++) {
          const vkp = v[k * m + p];
          const vkq = v[k * m + q];
          v[k * m + p] = c * vkp - s * vkq;
          v[k * m + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: m }, (_, i) => i).sort((i, j) => a[j * m + j] - a[i * m + i]);
  const vectors = new Float64Array(m * m);
  order.forEach((source, target) => {
    for (let k = 0; k < m; k++) vectors[k * m + target] = v[k * m + source];
  });
  return { values: order.map((i) => a[i * m + i]), vectors };
}

/** A fixed pseudo-random sequence, so the starting block (and hence every result) is reproducible. */
function startingValues(count: number): Float64Array {
  let state = 0x9e3779b9;
  return Float64Array.from({ length: count }, () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32 - 0.5;
  });
}

/** Modified Gram–Schmidt on the columns of an m×b block; a collapsed column is refilled and re-orthogonalized. */
function orthonormalizeColumns(block: Float64Array, m: number, b: number, refill: Float64Array): void {
  for (let j = 0; j < b; j++) {
    for (let attempt = 0; attempt < 3; attempt++) {
      for (let i = 0; i < j; i++) {
        let dot = 0;
        for (let r = 0; r < m; r++) dot += block[r * b + j] * block[r * b + i];
        for (let r = 0; r < m; r++) block[r * b + j] -= dot * block[r * b + i];
      }
      let norm = 0;
      for (let r = 0; r < m; r++) norm += block[r * b + j] ** 2;
      norm = Math.sqrt(norm);
      if (norm > 1e-12) {
        for (let r = 0; r < m; r++) block[r * b + j] /= norm;
        break;
      }
      for (let r = 0; r < m; r++) block[r * b + j] = refill[(r * 7 + j * 13 + attempt * 31) % refill.length];
    }
  }
}

/** y = S·x for a symmetric m×m S and an m×b block x. */
function multiply(s: Float64Array, x: Float64Array, m: number, b: number): Float64Array {
  const y = new Float64Array(m * b);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const sik = s[i * m + k];
      if (sik === 0) continue;
      for (let j = 0; j < b; j++) y[i * b + j] += sik * x[k * b + j];
    }
  }
  return y;
}

/** block·Q for an m×b block and a b×b matrix Q. */
function rotate(block: Float64Array, q: Float64Array, m: number, b: number): Float64Array {
  const result = new Float64Array(m * b);
  for (let r = 0; r < m; r++) {
    for (let j = 0; j < b; j++) {
      let sum = 0;
      for (let i = 0; i < b; i++) sum += block[r * b + i] * q[i * b + j];
      result[r * b + j] = sum;
    }
  }
  return result;
}

/** PCA of the rows of a row-major table of the given shape [rows, dim]. */
export function pca(
  values: ArrayLike<number>,
  shape: readonly [number, number],
  options: PcaOptions = {},
): PcaResult {
  const [tableRows, d] = shape;
  const n = options.rows ?? tableRows;
  const k = options.components ?? 2;
  const maxIterations = options.maxIterations ?? 500;
  const tolerance = options.tolerance ?? 1e-8;
  if (values.length < tableRows * d)
    throw new RangeError(`table has ${values.length} values, shape says ${tableRows * d}`);
  if (!Number.isInteger(n) || n < 1 || n > tableRows)
    throw new RangeError(`rows must be in 1..${tableRows}; got ${n}`);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`components must be a positive integer; got ${k}`);

  // Centre the rows.
  const x = new Float64Array(n * d);
  for (let c = 0; c < d; c++) {
    let mean = 0;
    for (let r = 0; r < n; r++) mean += values[r * d + c];
    mean /= n;
    for (let r = 0; r < n; r++) x[r * d + c] = values[r * d + c] - mean;
  }
  const denominator = Math.max(1, n - 1);
  let totalVariance = 0;
  for (const v of x) totalVariance += v * v;
  totalVariance /= denominator;

  // Iterate on the smaller symmetric matrix: the covariance (d×d) or the Gram matrix of the rows (n×n).
  const dual = n < d;
  const m = dual ? n : d;
  const s = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) {
      let sum = 0;
      if (dual) for (let c = 0; c < d; c++) sum += x[i * d + c] * x[j * d + c];
      else for (let r = 0; r < n; r++) sum += x[r * d + i] * x[r * d + j];
      s[i * m + j] = s[j * m + i] = sum / denominator;
    }
  }

  const b = Math.min(m, k + 6); // extra vectors speed convergence when eigenvalues k and k+1 are close
  const refill = startingValues(4099);
  let block: Float64Array = refill.slice(0, m * b);
  orthonormalizeColumns(block, m, b, refill);
  let eigenvalues: number[] = new Array<number>(b).fill(0);
  // S·block, kept up to date so each iteration costs one product with S.
  let product = multiply(s, block, m, b);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    if (iterations > 0) {
      // `block` holds Ritz vectors with Ritz values `eigenvalues`: stop once the leading k are eigenpairs.
      let worst = 0;
      for (let j = 0; j < Math.min(k, b); j++) {
        let residual = 0;
        for (let r = 0; r < m; r++) residual += (product[r * b + j] - eigenvalues[j] * block[r * b + j]) ** 2;
        worst = Math.max(worst, Math.sqrt(residual));
      }
      if (worst <= tolerance * Math.max(Math.abs(eigenvalues[0]), 1e-300)) break;
    }
    const basis = product;
    orthonormalizeColumns(basis, m, b, refill);
    // Rayleigh–Ritz: the best eigenpairs within span(basis).
    const projected = multiply(s, basis, m, b);
    const h = new Float64Array(b * b);
    for (let i = 0; i < b; i++) {
      for (let j = i; j < b; j++) {
        let sum = 0;
        for (let r = 0; r < m; r++) sum += basis[r * b + i] * projected[r * b + j];
        h[i * b + j] = sum;
      }
    }
    for (let i = 0; i < b; i++) {
      for (let j = 0; j < i; j++) h[i * b + j] = h[j * b + i];
    }
    const eigen = symmetricEigen(h, b);
    eigenvalues = eigen.values;
    block = rotate(basis, eigen.vectors, m, b);
    product = rotate(projected, eigen.vectors, m, b);
  }

  const components: Float64Array[] = [];
  const variances: number[] = [];
  for (let j = 0; j < k; j++) {
    const variance = j < b ? Math.max(0, eigenvalues[j]) : 0;
    let component = new Float64Array(d);
    if (j < b && variance > 1e-12 * totalVariance) {
      if (dual) {
        for (let r = 0; r < n; r++)
          for (let c = 0; c < d; c++) component[c] += x[r * d + c] * block[r * b + j];
      } else {
        for (let c = 0; c < d; c++) component[c] = block[c * b + j];
      }
      const norm = Math.hypot(...component);
      component = norm > 0 ? component.map((v) => v / norm) : component;
      // Deterministic sign: the entry of largest magnitude is positive.
      let largest = 0;
      for (let c = 1; c < d; c++) if (Math.abs(component[c]) > Math.abs(component[largest])) largest = c;
      if (component[largest] < 0) component = component.map((v) => -v);
    }
    components.push(component);
    variances.push(component.some((v) => v !== 0) ? variance : 0);
  }
  const points = new Float64Array(n * k);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < k; j++) {
      let dot = 0;
      for (let c = 0; c < d; c++) dot += x[r * d + c] * components[j][c];
      points[r * k + j] = dot;
    }
  }
  return {
    points,
    components,
    variances,
    explained: variances.map((v) => (totalVariance > 0 ? v / totalVariance : 0)),
    iterations,
  };
}

/**
 * How far 2-D points (row-major [n, 2]) are from lying on a circle about their centroid: the standard deviation
 * of their distances from it over the mean distance. ≈ 0 for a clock, ≈ 0.5 for a Gaussian blob.
 */
export function radiusSpread(points: ArrayLike<number>): number {
  const n = Math.floor(points.length / 2);
  if (n === 0) return 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < n; i++) {
    cx += points[2 * i] / n;
    cy += points[2 * i + 1] / n;
  }
  const radii = Array.from({ length: n }, (_, i) => Math.hypot(points[2 * i] - cx, points[2 * i + 1] - cy));
  const mean = radii.reduce((sum, r) => sum + r, 0) / n;
  if (mean === 0) return 0;
  const variance = radii.reduce((sum, r) => sum + (r - mean) ** 2, 0) / n;
  return Math.sqrt(variance) / mean;
}
