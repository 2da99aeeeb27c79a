// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FourierSpectrum, spectrumSummary } from './FourierSpectrum';

afterEach(cleanup);

/** p number rows plus an "=" row: a cos wave at frequency 5 and a weaker sine at 11 in every other dimension. */
function embedding(p: number, dim: number) {
  const values = new Float32Array((p + 1) * dim);
  for (let x = 0; x < p; x++) {
    for (let d = 0; d < dim; d++) {
      values[x * dim + d] =
        (d + 1) * Math.cos((2 * Math.PI * 5 * x) / p) + (d % 2) * 3 * Math.sin((2 * Math.PI * 11 * x) / p);
    }
  }
  return { values, shape: [p + 1, dim] as [number, number] };
}

describe('FourierSpectrum', () => {
  it('names the key frequencies of a synthetic embedding, strongest first', () => {
    const { container } = render(<FourierSpectrum embedding={embedding(31, 6)} p={31} keyCount={2} />);
    const caption = container.querySelector('figcaption')?.textContent ?? '';
    expect(caption).toMatch(
      /^Key frequencies 5, 11 hold 100% of the embedding's wave energy \(13% if it were spread evenly\)\.$/,
    );
    expect(container.querySelector('figure')?.getAttribute('aria-label')).toMatch(/Key frequencies 5, 11/);
    expect(container.querySelectorAll('svg.fourier-spectrum__plot rect.fourier-spectrum__bar')).toHaveLength(
      15,
    );
    expect(container.querySelector('rect.fourier-spectrum__bar title')?.textContent).toMatch(/^k = 1: /);
  });

  it('shows a status before the first embedding and for a table with too few rows', () => {
    const { rerender } = render(<FourierSpectrum embedding={null} p={31} />);
    expect(screen.getByRole('status').textContent).toMatch(/No embedding yet/);
    rerender(<FourierSpectrum embedding={embedding(7, 2)} p={31} />);
    expect(screen.getByRole('status').textContent).toMatch(/8 rows, fewer than p = 31/);
  });

  it('summarizes a flat table as having no structure', () => {
    expect(spectrumSummary([], 0, 31)).toBe('No wave structure in the embedding yet.');
  });
});
