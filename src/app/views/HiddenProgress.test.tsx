// @vitest-environment jsdom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { NOT_DEFINED, type ProgressMeasures } from '../../engine/metrics/progressMeasures';
import { fakeRecord } from '../../worker/testing/fakes';
import type { MetricRecord } from '../../worker/protocol';
import { HiddenProgress } from './HiddenProgress';

afterEach(cleanup);

const ADD = { defined: true, operation: 'a+b', sign: 1 } as const;
const P = 31;

function record(testAccuracy: number, progress: Partial<ProgressMeasures>): MetricRecord {
  return {
    ...fakeRecord(500, 0.01),
    testAccuracy,
    progress: {
      restrictedLoss: 3,
      excludedLoss: 0.1,
      keyShare: 0.1,
      waveShare: 0.3,
      key0: 4,
      key1: 11,
      key2: 14,
      key3: 2,
      key4: 7,
      embeddingTopShare: 0.4,
      embeddingGini: 0.3,
      ...progress,
    },
  };
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

  it('names the phase from the restricted loss and the key frequencies’ share', () => {
    const { container, rerender } = render(
      <HiddenProgress support={ADD} record={record(0.05, { restrictedLoss: 2.9 })} p={P} />,
    );
    expect(text(container)).toBe('Hidden progress: restricted loss 2.9 → no circuit yet');
    // Low restricted loss but the keys hold only their even share: a confident memorizer, not a circuit.
    rerender(<HiddenProgress support={ADD} record={record(0.05, { restrictedLoss: 0.9 })} p={P} />);
    expect(container.querySelector('p')?.dataset.phase).toBe('no-circuit');
    rerender(
      <HiddenProgress support={ADD} record={record(0.05, { restrictedLoss: 0.4, keyShare: 0.25 })} p={P} />,
    );
    expect(text(container)).toBe(
      'Hidden progress: restricted loss 0.4 → circuit forming (key frequencies 4, 11, 14, 2, 7)',
    );
    rerender(
      <HiddenProgress
        support={ADD}
        record={record(1, { restrictedLoss: 0.01, keyShare: 0.6, key3: 0, key4: 0 })}
        p={P}
      />,
    );
    expect(text(container)).toBe(
      'Hidden progress: restricted loss 0.01 → circuit in place (key frequencies 4, 11, 14)',
    );
  });
});
