import * as Comlink from 'comlink';
import { describe, expect, it } from 'vitest';
import { MetricBatcher } from './batcher';
import { connectTrainingClient, type ClientBatch } from './client';
import type { MetricBatch, MetricRecord } from './protocol';
import { fakeProgress, fakeRecord } from './testing/fakes';

/** A worker that only streams: what it is given goes out through a real MetricBatcher, as the session's does. */
function streamingWorker(records: readonly MetricRecord[]) {
  const channel = new MessageChannel();
  Comlink.expose(
    {
      subscribe(listener: (batch: MetricBatch) => void) {
        const batcher = new MetricBatcher({ now: () => 0, setTimer: () => () => undefined });
        batcher.connect((batch, transfer) => listener(Comlink.transfer(batch, transfer)));
        batcher.setProgress({ status: 'running', step: 20, stepsPerSecond: 0, backend: 'wasm' });
        for (const record of records) batcher.addRecord(record);
        batcher.flush();
      },
    },
    channel.port1,
  );
  const client = connectTrainingClient(channel.port2, () => {
    channel.port1.close();
    channel.port2.close();
  });
  const batches: ClientBatch[] = [];
  client.onBatch((batch) => batches.push(batch));
  return { client, batches };
}

describe('records from the worker to the page', () => {
  it('arrive as the run wrote them: NaN per site and per regularizer kept, absent fields absent', async () => {
    // A run diverging: a site's radius and a regularizer's scalar are NaN. The page must see them as NaN (the
    // charts break the line there), not lose the key; and a record without progress must not gain one.
    const diverging: MetricRecord = {
      ...fakeRecord(20, Number.NaN),
      activationRadius: { embedding: 2, hidden0: Number.NaN },
      radiusRatio: { embedding: 0.5, hidden0: Number.NaN },
      regularizers: { radial: { penalty: Number.NaN, lambda: 0.01 } },
      progress: fakeProgress({ afterRunRestrictedLoss: Number.NaN }),
    };
    const records = [
      { ...fakeRecord(10, 1), regularizers: { radial: { penalty: 0.25, lambda: 0.01 } } },
      diverging,
    ];
    const { client, batches } = streamingWorker(records);
    // Only an end to a wait that would never end (a loaded machine takes its time).
    await expect.poll(() => batches.length, { timeout: 60_000 }).toBe(1);
    expect(batches[0].records).toEqual(records);
    expect(batches[0].records[0]).not.toHaveProperty('progress');
    client.terminate();
  });
});
