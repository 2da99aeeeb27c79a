import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { brokenLinks } from '../scripts/docLinks';
import {
  END,
  HEADLINE_END,
  HEADLINE_PAGE,
  HEADLINE_START,
  headlineBlock,
  readmeBlock,
  replaceBetweenMarkers,
  RESULTS_PAGE,
  START,
} from './readme';
import type { RunResult } from './results';
import { planRuns } from './suites';

describe('README markers', () => {
  it('replaces only the text between the markers', () => {
    const before = `# T\n\n## Results\n\n${START}\nold\n${END}\n\nafter\n`;
    const after = replaceBetweenMarkers(before, 'new table');
    expect(after).toBe(`# T\n\n## Results\n\n${START}\nnew table\n${END}\n\nafter\n`);
    expect(replaceBetweenMarkers(after, 'new table')).toBe(after);
  });

  it('refuses a README without markers', () => {
    expect(() => replaceBetweenMarkers('# T\n', 'x')).toThrow(/bench:grok:start/);
  });

  it('takes other markers, and names the page that lacks them', () => {
    const markers = { start: HEADLINE_START, end: HEADLINE_END, page: HEADLINE_PAGE };
    const before = `intro\n${HEADLINE_START}\nold\n${HEADLINE_END}\n${START}\nkept\n${END}\n`;
    expect(replaceBetweenMarkers(before, 'new', markers)).toBe(
      `intro\n${HEADLINE_START}\nnew\n${HEADLINE_END}\n${START}\nkept\n${END}\n`,
    );
    expect(() => replaceBetweenMarkers(`${START}\n${END}\n`, 'x', markers)).toThrow(
      /README\.md needs <!-- bench:headline:start -->/,
    );
  });
});

/** Stored results for the plan's (a+b) mod 31 MLP runs: each method's steps to 99% (null = not within the cap). */
function addResults(t99: Record<string, number | null>): RunResult[] {
  return planRuns('full')
    .filter((spec) => spec.group === 'mlp31-add' && spec.method in t99)
    .map(
      (spec) =>
        ({
          ...spec,
          schema: 1,
          steps: { t90: t99[spec.method], t95: t99[spec.method], t99: t99[spec.method] },
          stoppedBecause: 'grokked',
        }) as unknown as RunResult,
    );
}

describe("the README's headline", () => {
  it('sorts the methods by whether they beat the tuned baseline, the weak one only, or neither', () => {
    const block = headlineBlock(
      addResults({
        'baseline-wd1': 1_000,
        'baseline-wd0.1': 10_000,
        orthoGrad: 250,
        radial: 4_000,
        grokfast: null,
      }),
    );
    expect(block).toContain('median of 3 seeds: AdamW with tuned weight decay 1');
    expect(block).toContain('takes **1 000**, with weak weight decay 0.1 10 000;');
    expect(block).toContain('- Sooner than the tuned baseline: ⊥Grad: 250 (4.0×).');
    expect(block).toContain('- Sooner than the weak baseline only: radial λ 0.01 (hidden): 4 000 (2.5×).');
    expect(block).toContain('- Not sooner than either: Grokfast EMA α 0.98 λ 2.');
  });

  it('says there are no results rather than printing empty medians', () => {
    expect(headlineBlock([])).toMatch(/no results yet for \(a\+b\) mod 31 on the MLP/);
  });
});

describe('the results page the block is written into', () => {
  const repository = new URL('../', import.meta.url);
  const text = (path: string): string => readFileSync(new URL(path, repository), 'utf8');

  it('is docs/results.md, which holds the markers once; the README holds none', () => {
    expect(RESULTS_PAGE).toBe('docs/results.md');
    const page = text(RESULTS_PAGE);
    expect(page.split(START)).toHaveLength(2);
    expect(page.split(END)).toHaveLength(2);
    expect(text('README.md')).not.toContain(START);
  });

  it('leaves the README one pair of headline markers', () => {
    const readme = text(HEADLINE_PAGE);
    expect(readme.split(HEADLINE_START)).toHaveLength(2);
    expect(readme.split(HEADLINE_END)).toHaveLength(2);
  });

  it('gets a block whose links resolve from that page', () => {
    const block = readmeBlock([]);
    expect(block).toContain('REPORT.md](');
    const exists = (path: string): string | null => {
      try {
        return readFileSync(new URL(path, repository), 'utf8');
      } catch {
        return null;
      }
    };
    expect(brokenLinks(RESULTS_PAGE, block, exists)).toEqual([]);
    const headline = headlineBlock(addResults({ 'baseline-wd1': 1_000, 'baseline-wd0.1': 10_000 }));
    expect(headline).toContain('results.md](');
    expect(brokenLinks(HEADLINE_PAGE, headline, exists)).toEqual([]);
  });
});
