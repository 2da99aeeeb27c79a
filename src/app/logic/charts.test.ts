import { describe, expect, it } from 'vitest';
import { FAKE_SITES, fakeRecord } from '../testing/fakeClient';
import { chartSeries, chartSpecs, collectScalarKeys, radiusChart } from './charts';

describe('chart specs', () => {
  const context = { sites: FAKE_SITES, scalarKeys: {}, regularizerLabels: { radial: 'Radial penalty' } };

  it('lists the lab charts, one line per site where the metric is per site', () => {
    const specs = chartSpecs(context);
    expect(specs.map((spec) => spec.id)).toEqual([
      'accuracy',
      'loss',
      'weightNorm',
      'radius',
      'radialShare',
      'age',
    ]);
    expect(specs.find((spec) => spec.id === 'radius')?.series.map((series) => series.key)).toEqual([
      'embedding',
      'hidden0',
    ]);
    expect(radiusChart(FAKE_SITES).reference).toEqual({ y: 1, label: '1' });
  });

  it('adds a chart per regularizer with scalars', () => {
    const keys = collectScalarKeys({}, [
      fakeRecord(1, { regularizers: { radial: { penalty: 0.1 } } }),
      fakeRecord(2, { regularizers: { radial: { penalty: 0.1, extra: 2 } } }),
    ]);
    expect(keys).toEqual({ radial: ['penalty', 'extra'] });
    expect(collectScalarKeys(keys, [fakeRecord(3, { regularizers: { radial: { penalty: 1 } } })])).toBe(keys);
    const specs = chartSpecs({ ...context, scalarKeys: keys });
    expect(specs.at(-1)).toMatchObject({ id: 'regularizer-radial', title: 'Radial penalty' });
  });

  it('downsamples 20 000+ evaluations to the point budget, keeping the latest value', () => {
    const history = Array.from({ length: 25_000 }, (_, i) =>
      fakeRecord(i + 1, { testAccuracy: i < 20_000 ? 0.01 : 1, trainLoss: 1 / (i + 1) }),
    );
    const accuracy = chartSpecs(context)[0];
    const drawn = chartSeries(accuracy, history, 'log');
    for (const series of drawn) expect(series.points.length).toBeLessThanOrEqual(400);
    const test = drawn.find((series) => series.spec.key === 'test')!;
    expect(test.latest).toBe(1);
    expect(test.points.at(-1)).toEqual({ x: 25_000, y: 1 });
    // The grokking jump survives: a point at chance right before it and one at 100% right after.
    expect(test.points.some((point) => point.y === 0.01 && point.x > 19_000)).toBe(true);
  });
});
