import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { UpdatePrompt } from './app/components/UpdatePrompt.tsx';
import { openRunStore } from './app/hooks/useSavedRuns.ts';
import { tabId } from './app/hooks/tabId.ts';
import { registerServiceWorker } from './app/serviceWorker.ts';
import { createLabStore } from './app/store.ts';
import { createLessonStore } from './app/lessons/lessonStore.ts';
import { BUILTIN_LESSONS } from './lessons/builtin/index.ts';
import { decodeLessonLink, hasLessonLink } from './lessons/link.ts';
import './app/styles/app.css';
import './app/styles/screens.css';
import { createSweepStore } from './app/sweep/sweepStore.ts';
import { decodeRaceLink } from './lib/raceUrl.ts';
import { decodeSweepLink, hasSweepLink } from './lib/sweep/link.ts';
import { pageSweepOwnership } from './lib/sweepOwnership.ts';
import { indexedDbSweeps, storageSweepLossLog } from './lib/sweepStore.ts';
import { decodeLink } from './lib/tableStore.ts';
import { presetConfig } from './lib/urlState.ts';
import { createTrainingClient } from './worker/client.ts';
import { createSupervisedClient } from './worker/supervisor.ts';
import { wasmThreadsForRun } from './worker/wasmThreads.ts';
import { estimateRunCost } from './engine/runCost.ts';

const container = document.getElementById('root');
if (!container) throw new Error('#root element missing from index.html');

// A sweep link opens the lab's first preset beside the sweep (it carries no lane settings); so does a lesson link.
const linked =
  Boolean(location.hash || location.search) &&
  !hasSweepLink(location.hash || location.search) &&
  !hasLessonLink(location.hash || location.search);
// Async: a link may reference an uploaded table stored in IndexedDB (too large to travel in the link itself).
const link = await decodeLink(location.hash || location.search);
const raceLink = decodeRaceLink(location.hash || location.search);
const sweepLink = decodeSweepLink(location.hash || location.search);
const lessonLink = decodeLessonLink(location.hash || location.search, BUILTIN_LESSONS);
// A first visit opens the fast CPU preset: the classic transformer takes minutes per thousand steps on a laptop.
const FIRST_PRESET = 'mlp';
// Measured by bench/labSweep.ts (docs/sweeps.md, "Phase diagrams in the lab"): whether a sweep leaves one core to the page.
const SWEEP_LEAVES_A_CORE = false;
const store = createLabStore({
  // One worker per lane, each supervised: a worker that dies is replaced and its run resumed from its snapshot.
  createClient: (wasmThreads) => createSupervisedClient(() => createTrainingClient({ wasmThreads })),
  // A classic-sized run takes its share of the cores as wasm threads (one lane: all; a race: one per lane);
  // smaller runs train faster on one (src/worker/wasmThreads.ts).
  wasmThreads: (laneCount, config) =>
    wasmThreadsForRun(navigator.hardwareConcurrency, laneCount, estimateRunCost(config).msPerStep),
  cores: navigator.hardwareConcurrency,
  confirm: (question) => window.confirm(question),
  initialConfig: linked && !raceLink.race ? link.config : presetConfig(FIRST_PRESET),
  presetName: linked && !raceLink.race ? link.preset : FIRST_PRESET,
  // A sweep link with classroom=1 opens the sweep's classroom view.
  classroom: link.classroom,
  schedule: link.schedule,
  notices: [
    ...link.notices,
    ...(raceLink.notice ? [raceLink.notice] : []),
    ...(sweepLink.notice ? [sweepLink.notice] : []),
    ...(lessonLink.notice ? [lessonLink.notice] : []),
  ],
  // Progress is never dropped: an experiment about to be replaced, and a finished race, go to the saved runs.
  // Each lane's worker keeps its own run in IndexedDB, as this tab's: a reload loses about a second of training.
  keepTab: tabId(),
  keep: async (run) => {
    const runs = await openRunStore();
    await runs.put(run, { tab: tabId() });
  },
});
// A race link (#race=radialRescue) opens that race, built and ready to start.
if (raceLink.race) void store.getState().startRace(raceLink.race, { autoStart: false });
// The lab's sweep: its cells as headless lanes on a pool of supervised workers (at most one per core), each
// worker kept for the whole sweep and switching from cell to cell.
const sweep = createSweepStore({
  createClient: () => createSupervisedClient(createTrainingClient),
  cores: navigator.hardwareConcurrency,
  lab: store,
  persistence: indexedDbSweeps,
  losses: storageSweepLossLog(() => localStorage),
  // One tab trains a sweep; another shows it and may take it over.
  ownership: pageSweepOwnership(),
  leaveOneForPage: SWEEP_LEAVES_A_CORE,
  confirm: (question) => window.confirm(question),
});
// A sweep link (#sweep=radial-map, or a spec) opens that sweep, ready to start (like a race link); else a sweep a
// reload interrupted goes on.
if (sweepLink.spec) void sweep.getState().start(sweepLink.spec, { paused: true });
else void sweep.getState().restore();

// Lessons drive the lab and the sweep through their actions; a lesson link (#lesson=what-is-grokking&step=3)
// opens that lesson at that step.
const lessons = createLessonStore({ lab: store, sweep });
if (lessonLink.lesson) void lessons.getState().open(lessonLink.lesson, lessonLink.step);

createRoot(container).render(
  <StrictMode>
    <App store={store} sweep={sweep} lessons={lessons} />
    <UpdatePrompt />
  </StrictMode>,
);
registerServiceWorker();
