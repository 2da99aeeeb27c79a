import { describe, expect, it } from 'vitest';
import { grokking, point, result } from './progressFixtures';
import { leads, progressPlot, progressSentence, progressTable, seedProgress } from './progressReport';
import { withProgressFrom, type RunResult } from './results';

const withHash = (run: RunResult, hash: string): RunResult => ({ ...run, hash });

/** grokking(): restricted < 1 at 500 and < 0.2 at 600 (3 − step/200), excluded ×1.5 at 400; t99 at 600. */
const grokked = (seed: number) => result(`g${seed}`, 'radial', seed, 600, grokking());
/** Never groks, restricted loss stays at 3. */
const stuck = (seed: number) =>
  result(
    `s${seed}`,
    'radial',
    seed,
    null,
    [0, 100, 200].map((step) => point(step, 1, 0.05, { restrictedLoss: 3, excludedLoss: 0.5 })),
  );

describe('progress in the report', () => {
  it('finds where each rule fired, per seed, and the lead to t99 only where it fired before', () => {
    const seeds = seedProgress([grokked(1), grokked(0), stuck(2)]);
    expect(seeds.map((seed) => seed.seed)).toEqual([0, 1, 2]);
    expect(seeds[0].fired).toEqual({ restricted1: 500, restricted02: 600, excluded15: 400 });
    expect(leads(seeds, 'restricted1')).toEqual([100, 100]);
    expect(leads(seeds, 'excluded15')).toEqual([200, 200]);
    expect(leads(seeds, 'restricted02')).toEqual([]);
  });

  it('tables a method per row and names the methods with no measures', () => {
    const noMeasures = result('n0', 'grokfast', 0, 300, [point(0, 0, 0), point(300, 1, 1)]);
    const lines = progressTable([
      { label: 'radial', runs: [grokked(0), stuck(1)] },
      { label: 'Grokfast', runs: [noMeasures] },
    ]);
    expect(lines.find((line) => line.startsWith('| radial'))).toBe(
      '| radial | 0, 1 | 500, never | 100 (1/1 ahead) | 600, never | 0/1 ahead | 400, never | 200 (1/1 ahead) |',
    );
    expect(lines).toContain('No progress measures stored for: Grokfast.');
    expect(progressTable([{ label: 'Grokfast', runs: [noMeasures] }])).toEqual([]);
  });

  it('says in one line how early the restricted loss fell, and its false alarms', () => {
    expect(progressSentence([grokked(0), grokked(1), stuck(2)])).toBe(
      'Hidden progress over 3 runs with measures: the restricted loss fell below 1 nat a median 100 steps (100) before t99 in 2/2 grokking runs (at step 500), and in 0/1 runs that did not grok within their cap.',
    );
    expect(progressSentence([result('x', 'm', 0, 300, [point(300, 1, 1)])])).toBeNull();
  });

  it('plots restricted and excluded loss of a run with measures, and nothing for a run without', () => {
    const svg = progressPlot('radial seed 0', grokked(0))!;
    expect(svg).toContain('restricted loss');
    expect(svg).toContain('excluded loss');
    expect(progressPlot('none', result('x', 'm', 0, 300, [point(300, 1, 1)]))).toBeNull();
  });
});

describe('withProgressFrom', () => {
  it("takes a measured rerun's history for the same hash and seed, and leaves every other result alone", () => {
    const old = withHash(result('a', 'radial', 0, 600, [point(0, 0, 0), point(600, 1, 1)]), 'h1');
    const otherSeed = withHash(result('b', 'radial', 1, 600, [point(600, 1, 1)]), 'h1');
    const measured = withHash(grokked(0), 'h2');
    const rerun = withHash(grokked(0), 'h1');
    const [merged, unchanged, already] = withProgressFrom([old, otherSeed, measured], [rerun]);
    expect(merged.history).toBe(rerun.history);
    expect(merged.id).toBe('a');
    expect(unchanged).toBe(otherSeed);
    expect(already).toBe(measured);
  });
});
