import { describe, expect, it } from 'vitest';
import { fakeProgress, fakeRecord } from './testing/fakes';
import { packRecords, transferablesOf, unpackRecords, type MetricRecord } from './protocol';

describe('packRecords / unpackRecords', () => {
  it('round-trips records with nested per-site and per-regularizer scalars', () => {
    const records: MetricRecord[] = [
      { ...fakeRecord(0, 4.5), regularizers: { radial: { penalty: 0.25 } } },
      {
        ...fakeRecord(10, 2),
        activationRadius: { hidden0: 1.5, embedding: 3 },
        radiusRatio: { hidden0: 0.75, embedding: 0.5 },
        regularizers: { radial: { penalty: 0.125 }, grokfast: { filterNorm: 2 } },
      },
    ];
    const packed = packRecords(records);
    expect(packed.length).toBe(2);
    expect(packed.columns.step).toBeInstanceOf(Float64Array);
    expect(Array.from(packed.columns['regularizers.radial.penalty'])).toEqual([0.25, 0.125]);
    // A site or scalar absent from one record is NaN in its column and absent again after unpacking.
    expect(Number.isNaN(packed.columns['activationRadius.embedding'][0])).toBe(true);
    const unpacked = unpackRecords(packed);
    expect(unpacked[0].activationRadius).toEqual({ hidden0: 1 });
    expect(unpacked[0].regularizers).toEqual({ radial: { penalty: 0.25 } });
    expect(unpacked[1]).toEqual(records[1]);
  });

  it('round-trips the progress measures, and leaves them absent where a record has none', () => {
    const progress = fakeProgress({ testWaveLoss: 0.4, key3: 0, key4: 0 });
    const records: MetricRecord[] = [fakeRecord(0, 3), { ...fakeRecord(50, 1), progress }];
    const unpacked = unpackRecords(packRecords(records));
    expect(unpacked[0].progress).toBeUndefined();
    expect(unpacked[1].progress).toEqual(progress);
  });

  it('keeps a non-finite loss (divergence must reach the page)', () => {
    const [record] = unpackRecords(packRecords([fakeRecord(7, Number.NaN)]));
    expect(record.step).toBe(7);
    expect(Number.isNaN(record.trainLoss)).toBe(true);
  });

  it('lists one transferable buffer per column', () => {
    const packed = packRecords([fakeRecord(1, 1), fakeRecord(2, 0.5)]);
    const buffers = transferablesOf(packed);
    expect(buffers).toHaveLength(Object.keys(packed.columns).length);
    expect(new Set(buffers).size).toBe(buffers.length);
  });

  it('survives a structured clone with its buffers transferred', () => {
    const packed = packRecords([fakeRecord(3, 1)]);
    const cloned = structuredClone(packed, { transfer: transferablesOf(packed) });
    expect(unpackRecords(cloned)[0]).toEqual(fakeRecord(3, 1));
    expect(packed.columns.step.length).toBe(0); // detached: it moved
  });
});
