import { describe, expect, it, vi } from 'vitest';
import type { StoredRun } from '../../lib/runStore';
import { FakeClient, fakeRecord } from '../testing/fakeClient';
import { leaveRace, raceAtRisk, raceOnScreen } from './raceOnScreen';
import { createRaceStore } from './raceStore';

/** A race store whose lanes are fake workers (kept in `lanes`); `saveRun` records what the race saved. */
function setup(saveRun = vi.fn(async (_run: StoredRun) => undefined)) {
  const lanes: FakeClient[] = [];
  const race = createRaceStore({
    createClient: () => {
      lanes.push(new FakeClient());
      return lanes[lanes.length - 1];
    },
    saveRun,
  });
  return { race, lanes, saveRun };
}

const count = (lane: FakeClient, method: string) => lane.methods().filter((m) => m === method).length;

describe('what the run controls act on', () => {
  it('is the race while its view is open, except in classroom mode (which shows the single run)', () => {
    expect(raceOnScreen({ open: true }, false)).toBe(true);
    expect(raceOnScreen({ open: true }, true)).toBe(false);
    expect(raceOnScreen({ open: false }, false)).toBe(false);
    expect(raceOnScreen(null, false)).toBe(false);
  });
});

describe('leaving the race view for a run opened from the runs', () => {
  it('closes a race with nothing to lose without asking (built but not started)', async () => {
    const { race, lanes } = setup();
    await race.getState().startRace('radialRescue', { autoStart: false });
    expect(raceAtRisk(race.getState())).toBe(false);
    const confirm = vi.fn((_question: string) => true);
    expect(await leaveRace(race, 'run a', confirm)).toBe(true);
    expect(confirm).not.toHaveBeenCalled();
    expect(race.getState().open).toBe(false);
    expect(lanes.every((lane) => lane.terminated)).toBe(true);
  });

  it('asks before ending a running race; no leaves it running, untouched', async () => {
    const { race, lanes, saveRun } = setup();
    await race.getState().startRace('radialRescue');
    expect(race.getState().phase).toBe('running');
    const confirm = vi.fn((_question: string) => false);
    expect(await leaveRace(race, 'run a', confirm)).toBe(false);
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(confirm.mock.calls[0][0]).toMatch(/is running \(radial at step 0, plain at step 0\)/);
    expect(confirm.mock.calls[0][0]).toMatch(
      /Opening “run a” ends the race: it is saved in your runs as it stands/,
    );
    expect(race.getState().open).toBe(true);
    expect(race.getState().phase).toBe('running');
    expect(lanes.map((lane) => count(lane, 'pause'))).toEqual([0, 0]);
    expect(saveRun).not.toHaveBeenCalled();
  });

  it('on yes, pauses every lane, saves the race as it stands, then closes it', async () => {
    const { race, lanes, saveRun } = setup();
    await race.getState().startRace('radialRescue');
    lanes.forEach((lane) => lane.emit({ records: [fakeRecord(0), fakeRecord(200)] }));
    expect(await leaveRace(race, 'run a', () => true)).toBe(true);
    expect(lanes.map((lane) => count(lane, 'pause'))).toEqual([1, 1]);
    expect(saveRun).toHaveBeenCalledTimes(1);
    const saved = saveRun.mock.calls[0][0];
    expect(
      saved.comparison?.lanes.map((lane) => [lane.name, lane.history.at(-1)?.step, lane.status]),
    ).toEqual([
      ['radial', 200, 'paused'],
      ['plain', 200, 'paused'],
    ]);
    expect(race.getState().open).toBe(false);
  });

  it('asks for a paused race with progress too; keeps it open (paused, the error shown) if saving fails', async () => {
    const { race, lanes } = setup(
      vi.fn(async () => {
        throw new Error('disk full');
      }),
    );
    await race.getState().startRace('radialRescue');
    lanes.forEach((lane) => lane.emit({ records: [fakeRecord(150)] }));
    await race.getState().pause();
    const confirm = vi.fn((_question: string) => true);
    expect(await leaveRace(race, 'run a', confirm)).toBe(false);
    expect(confirm.mock.calls[0][0]).toMatch(/is not finished \(radial at step 150, plain at step 150\)/);
    expect(race.getState().open).toBe(true);
    expect(race.getState().phase).toBe('paused');
    expect(race.getState().errors.join(' ')).toContain('disk full');
  });

  it('closes a finished, saved race without asking', async () => {
    const { race, lanes, saveRun } = setup();
    await race.getState().startRace('radialRescue');
    lanes.forEach((lane) => lane.emit({ status: 'finished', records: [fakeRecord(300)] }));
    await vi.waitFor(() => expect(race.getState().savedId).not.toBeNull());
    expect(saveRun).toHaveBeenCalledTimes(1);
    const confirm = vi.fn((_question: string) => true);
    expect(await leaveRace(race, 'run a', confirm)).toBe(true);
    expect(confirm).not.toHaveBeenCalled();
    expect(saveRun).toHaveBeenCalledTimes(1);
    expect(race.getState().open).toBe(false);
  });
});
