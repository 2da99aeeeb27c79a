import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { UpdatePrompt } from './app/components/UpdatePrompt.tsx';
import { openRunStore } from './app/hooks/useSavedRuns.ts';
import { createRaceStore } from './app/race/raceStore.ts';
import { registerServiceWorker } from './app/serviceWorker.ts';
import { createLabStore } from './app/store.ts';
import './app/styles/app.css';
import './app/styles/screens.css';
import { decodeRaceLink } from './lib/raceUrl.ts';
import { decodeUrlState, presetConfig } from './lib/urlState.ts';
import { createTrainingClient } from './worker/client.ts';

const container = document.getElementById('root');
if (!container) throw new Error('#root element missing from index.html');

const linked = Boolean(location.hash || location.search);
const link = decodeUrlState(location.hash || location.search);
const raceLink = decodeRaceLink(location.hash || location.search);
// A first visit opens the fast CPU preset: the classic transformer takes minutes per thousand steps on a laptop.
const FIRST_PRESET = 'mlp';
const store = createLabStore({
  client: createTrainingClient,
  initialConfig: raceLink.race
    ? presetConfig(raceLink.race)
    : linked
      ? link.config
      : presetConfig(FIRST_PRESET),
  presetName: raceLink.race ?? (linked ? link.preset : FIRST_PRESET),
  classroom: link.classroom,
  schedule: link.schedule,
  notices: [...link.notices, ...(raceLink.notice ? [raceLink.notice] : [])],
});
// Race mode: one worker per lane; a finished race is saved as one comparison in the run store.
const race = createRaceStore({
  createClient: createTrainingClient,
  cores: navigator.hardwareConcurrency,
  saveRun: async (run) => {
    const runs = await openRunStore();
    await runs.put(run);
  },
});
// A race link (#race=radialRescue) opens that race, built and ready to start.
if (raceLink.race) void race.getState().startRace(raceLink.race, { autoStart: false });

createRoot(container).render(
  <StrictMode>
    <App store={store} race={race} />
    <UpdatePrompt />
  </StrictMode>,
);
registerServiceWorker();
