import { describe, expect, it } from 'vitest';
import { decodeSweepLink, encodeSweepLink, hasSweepLink } from './link';
import { SWEEPS } from './registry';
import { parseSweepSpec } from './spec';

describe('sweep links', () => {
  it('round-trips a spec through the link', () => {
    const spec = parseSweepSpec({
      preset: 'mlp',
      x: {
        key: 'regularizers.weightDecay.coefficient',
        range: { from: 0.01, to: 1, count: 3, scale: 'log' },
      },
      y: { key: 'task.trainFraction', values: [0.3, 0.5] },
      seeds: [0, 1],
      steps: 500,
    });
    const link = `https://lab.example/#${encodeSweepLink(spec)}`;
    expect(hasSweepLink(link)).toBe(true);
    expect(decodeSweepLink(link)).toEqual({ spec, name: null, notice: null });
  });

  it('opens a named sweep of the registry', () => {
    const decoded = decodeSweepLink('#sweep=radial-map');
    expect(decoded.name).toBe('radial-map');
    expect(decoded.spec).toEqual(parseSweepSpec(SWEEPS['radial-map'].spec));
  });

  it('ignores links without a sweep', () => {
    expect(hasSweepLink('#race=radialRescue')).toBe(false);
    expect(decodeSweepLink('#race=radialRescue')).toEqual({ spec: null, name: null, notice: null });
  });

  it('says what is wrong with a malformed sweep, never throws', () => {
    const cases = [
      '#sweep=%E0%A4%A',
      '#sweep=nope',
      '#sweep=%7B%22x%22',
      `#sweep=${encodeURIComponent(JSON.stringify({ x: { key: 'a', values: [1] } }))}`,
    ];
    const notices = cases.map((link) => decodeSweepLink(link));
    for (const decoded of notices) {
      expect(decoded.spec).toBeNull();
      expect(decoded.notice).toMatch(/^The link's sweep cannot be opened: .+\. Opened the lab instead\.$/);
    }
    expect(notices[0].notice).toContain('URL-encoded');
    expect(notices[1].notice).toContain('“nope” is not a named sweep');
    expect(notices[2].notice).toContain('cut short');
    expect(notices[3].notice).toContain('y:');
  });
});
