// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddingPca, projectionSummary } from './EmbeddingPca';

afterEach(cleanup);

function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31 - 0.5;
  };
}

/** A "grokked" embedding: frequency 3 on two orthogonal dimensions, frequency 7 weaker, plus a little noise. */
function grokked(p: number, dim: number) {
  const random = lcg(1);
  const values = new Float32Array((p + 1) * dim);
  for (let x = 0; x < p; x++) {
    const a3 = (2 * Math.PI * 3 * x) / p;
    const a7 = (2 * Math.PI * 7 * x) / p;
    values[x * dim + 0] = 3 * Math.cos(a3);
    values[x * dim + 1] = 3 * Math.sin(a3);
    values[x * dim + 2] = 1 * Math.cos(a7);
    values[x * dim + 3] = 1 * Math.sin(a7);
    for (let d = 4; d < dim; d++) values[x * dim + d] = 0.01 * random();
  }
  return { values, shape: [p + 1, dim] as [number, number] };
}

function random(p: number, dim: number) {
  const next = lcg(9);
  return { values: Float32Array.from({ length: p * dim }, next), shape: [p, dim] as [number, number] };
}

describe('EmbeddingPca', () => {
  it('draws every number as a labelled point and sees the clock on the key frequency', () => {
    render(<EmbeddingPca embedding={grokked(23, 8)} p={23} />);
    const figure = screen.getByRole('img');
    expect(figure.getAttribute('aria-label')).toMatch(/frequency k = 3 .*: the numbers lie on a circle/);
    const labels = Array.from(figure.querySelectorAll('text'), (node) => node.textContent);
    expect(labels).toEqual(Array.from({ length: 23 }, (_, x) => String(x)));
  });

  it('switches to PCA and to another frequency', () => {
    render(<EmbeddingPca embedding={grokked(23, 8)} p={23} />);
    const select = screen.getByLabelText('Projection') as HTMLSelectElement;
    expect(Array.from(select.options, (option) => option.textContent)).toEqual([
      'Key frequency (now k = 3)',
      'PCA (top 2 components)',
      'Frequency k = 3',
      'Frequency k = 7',
    ]);
    fireEvent.change(select, { target: { value: 'pca' } });
    expect(screen.getByRole('img').getAttribute('aria-label')).toMatch(
      /principal components 1 and 2 .*circle/,
    );
    fireEvent.change(select, { target: { value: 'k7' } });
    expect(screen.getByRole('img').getAttribute('aria-label')).toMatch(/frequency k = 7 .*circle/);
  });

  it('says there is no circle for a random (memorizing) embedding', () => {
    render(<EmbeddingPca embedding={random(31, 16)} p={31} />);
    expect(screen.getByRole('img').getAttribute('aria-label')).toMatch(/no circle yet/);
  });

  it('shows a status without an embedding', () => {
    render(<EmbeddingPca embedding={null} p={31} />);
    expect(screen.getByRole('status').textContent).toMatch(/No embedding yet/);
  });

  it('words its summary', () => {
    expect(projectionSummary(5, 'axes', 0.02)).toBe(
      'Embeddings of 0–4 projected on axes: the numbers lie on a circle (distance from the centre varies by 2%).',
    );
  });
});
