import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, deepMerge, type Config } from './config';
import { configEvents } from './configEvents';

describe('configEvents', () => {
  it('records each changed leaf with its regularizer or section, and skips values that did not change', () => {
    const patch = {
      regularizers: {
        radial: { lambda: 0.02 },
        weightDecay: { coefficient: DEFAULT_CONFIG.regularizers.weightDecay.coefficient },
      },
      optimizer: { lr: 0.5 },
    };
    const after = deepMerge(DEFAULT_CONFIG, patch) as Config;
    expect(configEvents(DEFAULT_CONFIG, after, patch, 40)).toEqual([
      {
        step: 40,
        regularizer: 'radial',
        path: 'regularizers.radial.lambda',
        from: DEFAULT_CONFIG.regularizers.radial.lambda,
        to: 0.02,
      },
      {
        step: 40,
        regularizer: 'optimizer',
        path: 'optimizer.lr',
        from: DEFAULT_CONFIG.optimizer.lr,
        to: 0.5,
      },
    ]);
  });

  it('an empty patch records nothing', () => {
    expect(configEvents(DEFAULT_CONFIG, DEFAULT_CONFIG, {}, 0)).toEqual([]);
  });
});
