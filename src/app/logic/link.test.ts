import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../engine/config';
import type { ConfigEvent } from '../../worker/protocol';
import { withPath } from './configEdit';
import { dueEntries, linkState, schedulePatch } from './link';

const event = (step: number, path: string, from: unknown, to: unknown): ConfigEvent => ({
  step,
  path,
  from,
  to,
  regularizer: path.split('.')[1],
});

describe('linkState', () => {
  const draft = withPath(DEFAULT_CONFIG, 'seed', 5);
  const base = {
    draft,
    startConfig: DEFAULT_CONFIG,
    classroom: true,
    presetName: null,
    draftValid: true,
  };

  it('shares the settings on screen before training', () => {
    expect(linkState({ ...base, step: 0, events: [] })).toEqual({
      config: draft,
      classroom: true,
      preset: null,
    });
  });

  it('shares the run as start config + schedule once under way', () => {
    const events = [
      event(0, 'regularizers.radial.enabled', false, true),
      event(1200, 'regularizers.radial.lambda', 0.01, 0.05),
    ];
    const state = linkState({ ...base, step: 2000, events });
    expect(state.config.regularizers.radial.enabled).toBe(true);
    expect(state.config.seed).toBe(0);
    expect(state.schedule).toEqual([events[1]]);
  });
});

describe('schedule helpers', () => {
  const schedule = [
    event(100, 'regularizers.radial.enabled', false, true),
    event(100, 'regularizers.radial.lambda', 0.01, 0.02),
    event(500, 'optimizer.lr', 0.001, 0.002),
  ];

  it('splits due entries from later ones', () => {
    const { due, later } = dueEntries(schedule, 100);
    expect(due).toHaveLength(2);
    expect(later).toEqual([schedule[2]]);
  });

  it('merges entries into one patch', () => {
    expect(schedulePatch(schedule.slice(0, 2))).toEqual({
      regularizers: { radial: { enabled: true, lambda: 0.02 } },
    });
  });
});
