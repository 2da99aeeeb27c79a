/** Crash recovery in the store: a worker that dies after posting a snapshot is replaced without a click. */
import { describe, expect, it } from 'vitest';
import { connectedRestartingLab, fakeRecord, fakeSnapshot } from './testing/fakeClient';

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}

describe('lab store: automatic worker restart', () => {
  it('resumes the run from the last snapshot in a new worker on its own, history intact', async () => {
    const { store, clients } = await connectedRestartingLab();
    clients[0].emit({ records: [fakeRecord(10), fakeRecord(20)] });
    clients[0].snapshotListener?.(fakeSnapshot(clients[0], 20, store.getState().history));
    clients[0].errorListener?.('worker crashed');
    expect(store.getState().phase).toBe('failed');
    await until(() => store.getState().notices.some((n) => n.text.includes('Resumed the run from step 20')));
    expect(clients).toHaveLength(2);
    expect(clients[0].terminated).toBe(true);
    expect(clients[1].methods()).toEqual(['subscribe', 'init', 'restore']);
    expect(store.getState().phase).toBe('ready');
    expect(store.getState().history.map((record) => record.step)).toEqual([10, 20]);
  });

  it('without a snapshot it stays failed and waits for the Restart button', async () => {
    const { store, clients } = await connectedRestartingLab();
    clients[0].errorListener?.('out of memory');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(clients).toHaveLength(1);
    expect(store.getState().phase).toBe('failed');
  });
});
