// @vitest-environment jsdom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { NOT_DEFINED } from '../../engine/metrics/progressMeasures';
import type { ProgressMeasures } from '../../engine/records';
import { fakeProgress, fakeRecord } from '../../worker/testing/fakes';
import type { MetricRecord } from '../../worker/protocol';
import { HiddenProgress } from './HiddenProgress';

afterEach(cleanup);

const ADD = { defined: true, operation: 'a+b', sign: 1 } as const;
const P = 31;

function record(testAccuracy: number, progress: Partial<ProgressMeasures>): MetricRecord {
  return { ...fakeRecord(500, 0.01), testAccuracy, progress: fakeProgress(progress) };
}

const text = (element: HTMLElement): string => element.querySelector('p')?.textContent ?? '';

describe('HiddenProgress', () => {
  it('says "not defined for this operation" for a*b, whatever the record holds', () => {
    const { container } = render(
      <HiddenProgress support={{ defined: false, reason: NOT_DEFINED }} record={fakeRecord(10, 1)} p={P} />,
    );
    expect(text(container)).toBe('Hidden progress: not defined for this operation');
  });

  it('waits for the first evaluation', () => {
    const { container } = render(<HiddenProgress support={ADD} record={undefined} p={P} />);
    expect(text(container)).toBe('Hidden progress: waiting for the first evaluation');
  });

  it('names the phase from the test pairs’ wave loss, and says only what is measured', () => {
    const lnP = Math.log(P);
    const { container, rerender } = render(
      <HiddenProgress support={ADD} record={record(0.02, { testWaveLoss: lnP - 0.02 })} p={P} />,
    );
    expect(text(container)).toBe(
      'Hidden progress: no waves in the test logits yet · waves hold 5% of the test logits, wave loss 3.41 vs ln p 3.43',
    );
    // Just below ln p is what a fit to noise does: still nothing.
    rerender(<HiddenProgress support={ADD} record={record(0.02, { testWaveLoss: lnP - 0.2 })} p={P} />);
    expect(container.querySelector('p')?.dataset.phase).toBe('no-waves');
    // Far below ln p, but a small share of large logits: what a memorizing transformer shows. Still nothing.
    rerender(
      <HiddenProgress
        support={ADD}
        record={record(0.02, { testWaveLoss: 0.5, testWaveShare: 0.08 })}
        p={P}
      />,
    );
    expect(container.querySelector('p')?.dataset.phase).toBe('no-waves');
    rerender(
      <HiddenProgress support={ADD} record={record(0.05, { testWaveLoss: 2.1, testWaveShare: 0.2 })} p={P} />,
    );
    expect(text(container)).toBe(
      'Hidden progress: test logits line up with waves (frequencies 4, 11, 14, 2, 7) · waves hold 20% of the test logits, wave loss 2.1 vs ln p 3.43',
    );
    expect(text(container)).not.toMatch(/circuit/);
    rerender(
      <HiddenProgress
        support={ADD}
        record={record(1, { testWaveLoss: 0.01, testWaveShare: 0.7, key3: 0, key4: 0 })}
        p={P}
      />,
    );
    expect(text(container)).toBe(
      'Hidden progress: generalized (frequencies 4, 11, 14) · waves hold 70% of the test logits, wave loss 0.01 vs ln p 3.43',
    );
  });
});
