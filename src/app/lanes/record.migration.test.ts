/**
 * What the lab wrote before lanes (commit e290f86, 2026-11-29) keeps opening: exported files, records saved in
 * IndexedDB and share links, single runs and races. The fixtures in src/lib/fixtures/v1/ were written by that
 * code on real training sessions (wasm), not typed by hand.
 */
import { IDBFactory } from 'fake-indexeddb';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importRunJson } from '../../lib/exportRun';
import { decodeRaceLink } from '../../lib/raceUrl';
import { RunStore, type StoredRun } from '../../lib/runStore';
import { decodeUrlState } from '../../lib/urlState';
import { summarize } from './summary';
import { connectedLab, single } from '../testing/fakeClient';

const fixture = (name: string) =>
  readFileSync(new URL(`../../lib/fixtures/v1/${name}`, import.meta.url), 'utf8');

function imported(name: string): StoredRun {
  const result = importRunJson(fixture(name));
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.run;
}

/**
 * The record as the old RunStore kept it: everything but the snapshot in `runs` (with its recordVersion and
 * hasSnapshot), the snapshot under the run's id in `snapshots`. Written raw, then read by today's RunStore.
 */
async function storedTheOldWay(run: StoredRun): Promise<RunStore> {
  const factory = new IDBFactory();
  const database = await RunStore.open({ factory, name: 'old' });
  database.close();
  const raw = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = factory.open('old');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const { snapshot, ...rest } = run;
  const transaction = raw.transaction(['runs', 'snapshots', 'meta'], 'readwrite');
  transaction.objectStore('runs').put({ ...rest, recordVersion: 1, hasSnapshot: Boolean(snapshot) });
  if (snapshot) transaction.objectStore('snapshots').put(snapshot, run.id);
  transaction.objectStore('meta').put(run.id, 'lastRunId');
  await new Promise((resolve) => (transaction.oncomplete = resolve));
  raw.close();
  return RunStore.open({ factory, name: 'old' });
}

describe('records of the lab before lanes', () => {
  it.each(['file', 'IndexedDB record'])(
    'a single run (%s) resumes as one lane at its snapshot’s step',
    async (kind) => {
      let run = imported('single-run.export.json');
      if (kind !== 'file') run = (await (await storedTheOldWay(run)).getLastRun())!;
      const { store, clients } = await connectedLab();
      expect(await store.getState().restoreRun(run)).toBe(true);
      const restore = clients[1].calls.find((call) => call.method === 'restore');
      expect((restore?.args[0] as { step: number }).step).toBe(20);
      const lane = single(store);
      expect(store.getState().lanes).toHaveLength(1);
      expect([lane.phase, lane.status, lane.step]).toEqual(['ready', 'paused', 20]);
      // The weights' own history (it can be ahead of the record's: the last evaluation had not streamed yet).
      expect(lane.history.map((record) => record.step)).toEqual([0, 10, 20]);
      expect(lane.config.regularizers.radial.enabled).toBe(true);
      // The preset stays in the name it is saved under next time.
      expect(store.getState().presetName).toBe('mlp');
    },
  );

  it.each(['file', 'IndexedDB record'])(
    'a race (%s) opens with every lane, finished lanes shown without workers',
    async (kind) => {
      let run = imported('race.export.json');
      if (kind !== 'file') run = (await (await storedTheOldWay(run)).getLastRun())!;
      const { store, clients } = await connectedLab();
      expect(await store.getState().restoreRun(run)).toBe(true);
      const state = store.getState();
      expect(state.title).toBe('radial vs plain');
      expect(state.presetName).toBe('radialRescue');
      expect(state.lanes.map((lane) => [lane.name, lane.phase, lane.status])).toEqual([
        ['radial', 'closed', 'finished'],
        ['plain', 'closed', 'finished'],
      ]);
      expect(state.lanes.map((lane) => lane.history.length)).toEqual([5, 5]);
      expect(summarize(state.lanes).over).toBe(true);
      // Finished lanes need no worker: only the page's first one was made, and it was closed.
      expect(clients).toHaveLength(1);
      // Saved again, it is a record of today's format with the same lanes.
      const again = await store.getState().captureRun(true);
      expect(again?.comparison?.lanes.map((lane) => lane.name)).toEqual(['radial', 'plain']);
      expect(again?.id).toBe(run.id);
    },
  );

  it('share links: a single run’s settings and classroom flag, a race by its preset', () => {
    const links = JSON.parse(fixture('links.json')) as { single: string; race: string };
    const link = decodeUrlState(links.single);
    expect(link.notices).toEqual([]);
    expect([link.preset, link.classroom]).toEqual(['mlp', true]);
    expect(link.config.task.modulus).toBe(7);
    expect(link.config.regularizers.radial.enabled).toBe(true);
    expect(decodeRaceLink(links.race)).toEqual({ race: 'radialRescue', notice: null });
  });
});
