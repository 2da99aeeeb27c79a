// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildGrid } from '../../lib/sweep/grid';
import { heatmapLayout, HATCH_ID, pointKey } from '../../lib/sweep/heatmap';
import { outcome, smallSweep } from '../../lib/sweep/testSweep';
import { SweepHeatmap } from './SweepHeatmap';

function grid() {
  const sweep = smallSweep();
  const [a, b, c] = sweep.cells;
  return buildGrid(
    sweep,
    new Map([
      [a.id, outcome(a.id, 100)],
      [b.id, outcome(b.id, 640)],
      [c.id, outcome(c.id, null)],
    ]),
  );
}

afterEach(cleanup);

describe('SweepHeatmap', () => {
  it('draws one labelled button per point, as the SVG layout does', () => {
    const g = grid();
    render(
      <SweepHeatmap
        grid={g}
        onPointClick={() => {}}
        progress={{ [pointKey(1, 1)]: { step: 300, testAccuracy: 0.5 } }}
      />,
    );
    const buttons = screen.getAllByRole('button');
    expect(buttons).toHaveLength(4);
    const layout = heatmapLayout(g, { progress: { [pointKey(1, 1)]: { step: 300, testAccuracy: 0.5 } } });
    for (const cell of layout.cells) {
      const button = screen.getByRole('button', { name: cell.tooltip });
      expect(button.textContent).toBe(cell.tooltip + cell.label);
    }
    expect(screen.getByRole('group').getAttribute('aria-label')).toBe('small: 3/4 runs');
  });

  it('hatches points that did not grok and shows a running cell’s accuracy', () => {
    const { container } = render(
      <SweepHeatmap grid={grid()} progress={{ [pointKey(1, 1)]: { step: 300, testAccuracy: 0.5 } }} />,
    );
    const censored = container.querySelector(`[data-point="${pointKey(0, 1)}"] rect`)!;
    expect(censored.getAttribute('fill')).toBe(`url(#${HATCH_ID})`);
    expect(container.querySelector(`[data-point="${pointKey(1, 1)}"] text`)!.textContent).toBe('50%');
    expect(container.querySelector(`pattern#${HATCH_ID}`)).not.toBeNull();
  });

  it('hands the clicked point to onPointClick, by mouse and by keyboard, and outlines selected points', () => {
    const onPointClick = vi.fn();
    const g = grid();
    const { container } = render(
      <SweepHeatmap grid={g} onPointClick={onPointClick} selected={[pointKey(1, 0)]} />,
    );
    fireEvent.click(container.querySelector(`[data-point="${pointKey(1, 0)}"]`)!);
    expect(onPointClick).toHaveBeenLastCalledWith(g.rows[0][1]);
    fireEvent.keyDown(container.querySelector(`[data-point="${pointKey(0, 1)}"]`)!, { key: 'Enter' });
    expect(onPointClick).toHaveBeenLastCalledWith(g.rows[1][0]);
    expect(container.querySelector(`[data-point="${pointKey(1, 0)}"]`)!.getAttribute('aria-pressed')).toBe(
      'true',
    );
    expect(container.querySelector(`[data-point="${pointKey(0, 0)}"]`)!.getAttribute('aria-pressed')).toBe(
      'false',
    );
  });
});
