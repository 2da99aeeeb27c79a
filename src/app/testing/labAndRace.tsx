/** A page's two stores on fake workers, for component tests (imported only by *.test.tsx files). */
import type { ReactNode } from 'react';
import { RaceProvider, createRaceStore, type RaceStore, type RaceStoreOptions } from '../race/raceStore';
import { LabProvider, createLabStore, type LabStore } from '../store';
import { FakeClient } from './fakeClient';

/** A race store whose every lane gets a new fake worker, kept in `lanes` in the order they were made. */
export function fakeRaceStore(options: Omit<RaceStoreOptions, 'createClient'> = {}): {
  race: RaceStore;
  lanes: FakeClient[];
} {
  const lanes: FakeClient[] = [];
  const race = createRaceStore({
    ...options,
    createClient: () => {
      lanes.push(new FakeClient());
      return lanes[lanes.length - 1];
    },
  });
  return { race, lanes };
}

export interface LabAndRace {
  /** The single run's fake worker. */
  lab: FakeClient;
  labStore: LabStore;
  race: RaceStore;
  /** The race lanes' fake workers. */
  lanes: FakeClient[];
  /** Both stores' providers, as the app nests them: for render() or renderHook's `wrapper`. */
  Providers: (props: { children: ReactNode }) => ReactNode;
  /** The calls the single run's worker got, leaving out the subscription and the first init. */
  labCalls: () => string[];
}

/** A page with a single run (connected, so ready) and a race, each driving fake workers. */
export async function connectedLabAndRace(
  raceOptions: Omit<RaceStoreOptions, 'createClient'> = {},
): Promise<LabAndRace> {
  const lab = new FakeClient();
  const labStore = createLabStore({ client: lab, liveDelayMs: 0 });
  await labStore.getState().connect();
  const { race, lanes } = fakeRaceStore(raceOptions);
  const Providers = ({ children }: { children: ReactNode }) => (
    <RaceProvider store={race}>
      <LabProvider store={labStore}>{children}</LabProvider>
    </RaceProvider>
  );
  const labCalls = () => lab.methods().filter((method) => method !== 'subscribe' && method !== 'init');
  return { lab, labStore, race, lanes, Providers, labCalls };
}
