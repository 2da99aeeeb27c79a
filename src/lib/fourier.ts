/**
 * The Fourier analysis of embeddings lives in the engine (src/engine/metrics/fourier.ts) since the engine's progress
 * measures need it too and the engine does not import lib; this re-export keeps the views' imports unchanged.
 */
export * from '../engine/metrics/fourier';
