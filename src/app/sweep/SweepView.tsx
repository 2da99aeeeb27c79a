import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { PRESETS } from '../../engine/presets';
import { downloadBlob } from '../../lib/exportRun';
import { buildGrid } from '../../lib/sweep/grid';
import { formatKnobValue, pointKey } from '../../lib/sweep/heatmap';
import { numericKeys } from '../../lib/sweep/knobs';
import { cellStates, pointProgress } from '../../lib/sweep/labRun';
import { encodeSweepLink } from '../../lib/sweep/link';
import { SWEEPS } from '../../lib/sweep/registry';
import { formatAxis, notDecimal, parseAxis, parseDecimal, SweepSpecError } from '../../lib/sweep/spec';
import { ClassroomToggle } from '../components/ClassroomToggle';
import { Notices } from '../components/Notices';
import { errorText } from '../logic/format';
import { shortcutFor } from '../logic/shortcuts';
import { useLab } from '../store';
import { SweepHeatmap } from './SweepHeatmap';
import { sweepCsvText, sweepFileName, sweepJson, sweepSvgText, svgTextToPng } from './sweepExport';
import { useSweep, useSweepStore } from './sweepStore';

const KEYS = numericKeys();
/** The classroom map's canvas: wider than the page's (640×480), as a 1280×720 screen is, so it fills it. */
const CLASSROOM_MAP = { width: 640, height: 400 };
const NAMED = Object.entries(SWEEPS);
const PRESET_NAMES = Object.keys(PRESETS) as (keyof typeof PRESETS)[];

function minutes(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** The sweep's form: two knobs and their values (a list or a range, the CLI's syntax), a budget and seeds. */
function SweepForm() {
  const start = useSweep((state) => state.start);
  const startNamed = useSweep((state) => state.startNamed);
  const labPreset = useLab((state) => state.presetName);
  const radial = SWEEPS['radial-map'].spec;
  const [preset, setPreset] = useState<string>(labPreset ?? 'mlp');
  const [xKey, setXKey] = useState<string>(radial.x.key);
  const [xValues, setXValues] = useState(formatAxis(radial.x).split('=')[1]);
  const [yKey, setYKey] = useState<string>(radial.y.key);
  const [yValues, setYValues] = useState(formatAxis(radial.y).split('=')[1]);
  const [steps, setSteps] = useState(String(radial.steps));
  const [seeds, setSeeds] = useState('1');
  const [problem, setProblem] = useState<string | null>(null);

  const submit = async () => {
    try {
      const seedCount = parseDecimal(seeds);
      if (seedCount === null || !Number.isInteger(seedCount) || seedCount < 1 || seedCount > 100)
        throw new SweepSpecError(
          `seeds: give a whole number from 1 to 100${seedCount === null ? ` (${notDecimal(seeds)})` : ''}`,
        );
      const budget = parseDecimal(steps);
      if (budget === null || !Number.isInteger(budget) || budget < 1)
        throw new SweepSpecError(
          `steps: give a whole number ≥ 1${budget === null ? ` (${notDecimal(steps)})` : ''}`,
        );
      const spec = {
        title: `${yKey} × ${xKey} (steps to grok, ${preset} preset)`,
        preset,
        x: parseAxis(`${xKey}=${xValues}`),
        y: parseAxis(`${yKey}=${yValues}`),
        seeds: Array.from({ length: seedCount }, (_, i) => i),
        steps: budget,
        stopAfterGrok: 100,
        evalEvery: 50,
      };
      setProblem(null);
      await start(spec);
    } catch (error) {
      setProblem(errorText(error));
    }
  };

  return (
    <section className="panel sweep-form" aria-label="New sweep">
      <h2 className="panel__title">New sweep</h2>
      <div className="sweep-form__presets">
        {NAMED.map(([name, entry]) => (
          <button
            key={name}
            type="button"
            className="button button--primary"
            title={entry.description}
            onClick={() => void startNamed(name)}
          >
            {entry.title}
          </button>
        ))}
      </div>
      <div className="sweep-form__grid">
        <label>
          Base preset
          <select value={preset} onChange={(event) => setPreset(event.target.value)}>
            {PRESET_NAMES.map((name) => (
              <option key={name} value={name}>
                {PRESETS[name].title}
              </option>
            ))}
          </select>
        </label>
        <label>
          x knob
          <select value={xKey} onChange={(event) => setXKey(event.target.value)}>
            {KEYS.map((key) => (
              <option key={key}>{key}</option>
            ))}
          </select>
        </label>
        <label>
          x values (list, or from..to:count[:log])
          <input value={xValues} onChange={(event) => setXValues(event.target.value)} />
        </label>
        <label>
          y knob
          <select value={yKey} onChange={(event) => setYKey(event.target.value)}>
            {KEYS.map((key) => (
              <option key={key}>{key}</option>
            ))}
          </select>
        </label>
        <label>
          y values
          <input value={yValues} onChange={(event) => setYValues(event.target.value)} />
        </label>
        <label>
          Step budget
          <input inputMode="numeric" value={steps} onChange={(event) => setSteps(event.target.value)} />
        </label>
        <label>
          Seeds
          <input inputMode="numeric" value={seeds} onChange={(event) => setSeeds(event.target.value)} />
        </label>
      </div>
      <button type="button" className="button" onClick={() => void submit()}>
        Start sweep
      </button>
      {problem && (
        <p role="alert" className="sweep-form__problem">
          {problem}
        </p>
      )}
    </section>
  );
}

/** Pause/resume/cancel, the workers setting and the counters (`compact`: the classroom's, pause and resume only). */
function SweepControls({ compact = false }: { compact?: boolean }) {
  const sweep = useSweep((state) => state.sweep);
  const status = useSweep((state) => state.status);
  const outcomes = useSweep((state) => state.outcomes);
  const running = useSweep((state) => state.running);
  const concurrency = useSweep((state) => state.concurrency);
  const cores = useSweep((state) => state.cores);
  const backend = useSweep((state) => state.backend);
  const savedStatus = useSweep((state) => state.savedStatus);
  const elsewhere = useSweep((state) => state.elsewhere);
  const takeOver = useSweep((state) => state.takeOver);
  const pause = useSweep((state) => state.pause);
  const resume = useSweep((state) => state.resume);
  const cancel = useSweep((state) => state.cancel);
  const setConcurrency = useSweep((state) => state.setConcurrency);
  const elapsed = useSweep((state) => state.runningMs);
  if (!sweep) return null;
  const counts = cellStates(sweep.cells, new Set(outcomes.keys()), new Set(running));
  return (
    <div className="sweep-controls" role="group" aria-label="Sweep controls">
      <span
        data-testid="sweep-status"
        data-status={status}
        data-saved={savedStatus ?? ''}
        data-done={counts.done}
        data-elsewhere={elsewhere ? 'true' : 'false'}
        title={savedStatus === status ? 'Saved in this browser: a reload resumes it.' : undefined}
      >
        {elsewhere ? 'training in another tab' : status} · {counts.done} done · {counts.running} running ·{' '}
        {counts.queued} queued
        {status === 'done' || status === 'cancelled' ? ` · ${minutes(elapsed)}` : ''}
        {backend !== 'auto' ? ` · ${backend}` : ''}
      </span>
      {status === 'running' && (
        <button type="button" className="button" onClick={() => void pause()}>
          Pause sweep
        </button>
      )}
      {status === 'paused' && !elsewhere && (
        <button type="button" className="button" onClick={() => void resume()}>
          Resume sweep
        </button>
      )}
      {elsewhere && (
        <button type="button" className="button" onClick={() => void takeOver()}>
          Take over here
        </button>
      )}
      {(status === 'running' || status === 'paused') && !elsewhere && !compact && (
        <button type="button" className="button" onClick={() => void cancel()}>
          Cancel sweep
        </button>
      )}
      {!compact && (
        <label className="sweep-controls__workers">
          Workers
          <input
            type="number"
            min={1}
            max={cores}
            value={concurrency}
            onChange={(event) => setConcurrency(Number(event.target.value))}
          />
          <span className="sweep-controls__hint">of {cores} cores</span>
        </label>
      )}
    </div>
  );
}

/** The exports and the share link. */
function SweepExports() {
  const sweep = useSweep((state) => state.sweep);
  const outcomes = useSweep((state) => state.outcomes);
  const elapsedMs = useSweep((state) => state.elapsedMs);
  const notify = useLab((state) => state.notify);
  const [link, setLink] = useState<string | null>(null);
  if (!sweep) return null;
  const save = (text: string, type: string, extension: string) =>
    downloadBlob(new Blob([text], { type }), sweepFileName(sweep, extension));
  const png = async () => {
    try {
      downloadBlob(await svgTextToPng(sweepSvgText(sweep, outcomes)), sweepFileName(sweep, 'png'));
    } catch (error) {
      notify('error', `The PNG could not be made: ${errorText(error)}`);
    }
  };
  return (
    <div className="sweep-exports" role="group" aria-label="Sweep exports">
      <button
        type="button"
        className="button"
        onClick={() => save(sweepJson(sweep, outcomes, elapsedMs()), 'application/json', 'json')}
      >
        Export JSON
      </button>
      <button
        type="button"
        className="button"
        onClick={() => save(sweepCsvText(sweep, outcomes), 'text/csv', 'csv')}
      >
        Export CSV
      </button>
      <button
        type="button"
        className="button"
        onClick={() => save(sweepSvgText(sweep, outcomes), 'image/svg+xml', 'svg')}
      >
        Export SVG
      </button>
      <button type="button" className="button" onClick={() => void png()}>
        Export PNG
      </button>
      <button
        type="button"
        className="button"
        onClick={() => setLink(`${location.origin}${location.pathname}#${encodeSweepLink(sweep.spec)}`)}
      >
        Share link
      </button>
      {link && (
        <input
          className="sweep-exports__link"
          aria-label="Sweep link"
          readOnly
          value={link}
          onFocus={(event) => event.target.select()}
        />
      )}
    </div>
  );
}

/**
 * The live map: click opens a finished cell's curves as a lane, or picks two cells for a race. `classroom`: the map
 * alone, drawn on a smaller canvas so that its text comes out larger when it fills the screen.
 */
function SweepMap({ classroom = false }: { classroom?: boolean }) {
  const sweep = useSweep((state) => state.sweep);
  const outcomes = useSweep((state) => state.outcomes);
  const progress = useSweep((state) => state.progress);
  const clickMode = useSweep((state) => state.clickMode);
  const picked = useSweep((state) => state.picked);
  const setClickMode = useSweep((state) => state.setClickMode);
  const openCell = useSweep((state) => state.openCell);
  const togglePick = useSweep((state) => state.togglePick);
  const racePicked = useSweep((state) => state.racePicked);
  const grid = useMemo(() => (sweep ? buildGrid(sweep, outcomes) : null), [sweep, outcomes]);
  const live = useMemo(() => (sweep ? pointProgress(sweep.cells, progress) : {}), [sweep, progress]);
  if (!sweep || !grid) return <p className="sweep-empty">No sweep yet: start one above.</p>;
  const pickedNames = picked.map((key) => {
    const [x, y] = key.split(',').map(Number);
    return `${formatKnobValue(grid.xValues[x])} × ${formatKnobValue(grid.yValues[y])}`;
  });
  return (
    <section className="panel sweep-map" aria-label="Sweep map">
      {!classroom && (
        <div className="sweep-map__mode" role="radiogroup" aria-label="Clicking a cell">
          <label>
            <input type="radio" checked={clickMode === 'open'} onChange={() => setClickMode('open')} /> Click
            opens a cell&apos;s curves
          </label>
          <label>
            <input type="radio" checked={clickMode === 'pick'} onChange={() => setClickMode('pick')} /> Click
            picks cells to race
          </label>
          {clickMode === 'pick' && (
            <button
              type="button"
              className="button button--primary"
              disabled={picked.length !== 2}
              onClick={() => void racePicked()}
            >
              Race these two cells{picked.length > 0 ? ` (${pickedNames.join(' vs ')})` : ''}
            </button>
          )}
        </div>
      )}
      <div className="sweep-map__chart" data-testid="sweep-heatmap">
        <SweepHeatmap
          {...(classroom ? CLASSROOM_MAP : {})}
          grid={grid}
          progress={live}
          selected={picked}
          onPointClick={(point) =>
            clickMode === 'pick'
              ? togglePick(pointKey(point.xIndex, point.yIndex))
              : void openCell(point.xIndex, point.yIndex)
          }
        />
      </div>
      {!classroom && (
        <p className="sweep-map__note">
          Hover a cell for its numbers. Each cell evaluates every {sweep.spec.evalEvery ?? 'adaptive'} steps
          and stops {sweep.spec.stopAfterGrok} steps after it groks or at {sweep.spec.steps} steps;{' '}
          {sweep.spec.seeds.length} seed(s) per point (the median).
        </p>
      )}
    </section>
  );
}

/** The sweeps stored in this browser, to reopen (a sweep is saved as it runs). */
function SavedSweeps() {
  const saved = useSweep((state) => state.saved);
  const current = useSweep((state) => state.sweepId);
  const refreshSaved = useSweep((state) => state.refreshSaved);
  const openSaved = useSweep((state) => state.openSaved);
  useEffect(() => {
    void refreshSaved();
  }, [refreshSaved, current]);
  if (saved.length === 0) return null;
  return (
    <section className="panel sweep-saved" aria-label="Saved sweeps">
      <h2 className="panel__title">Saved sweeps (this browser)</h2>
      <ul>
        {saved.slice(0, 10).map((sweep) => (
          <li key={sweep.id}>
            {sweep.spec.title ?? `${sweep.spec.y.key} × ${sweep.spec.x.key}`} · {sweep.status} ·{' '}
            {new Date(sweep.updatedAt).toLocaleString()}{' '}
            {sweep.id === current ? (
              <em>(on screen)</em>
            ) : (
              <button type="button" className="button" onClick={() => void openSaved(sweep.id)}>
                Open
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The sweep view: a phase diagram of two knobs, filled in live by workers beside the lab. */
export function SweepView() {
  const setOpen = useSweep((state) => state.setOpen);
  useSweepSpace();
  return (
    <div className="sweep-view" data-testid="sweep-view">
      <div className="main__toolbar">
        <h2 className="main__heading">Sweep: where does it grok?</h2>
        <button type="button" className="button" onClick={() => setOpen(false)}>
          Back to the lanes
        </button>
      </div>
      <SweepForm />
      <SweepControls />
      <SweepMap />
      <SweepExports />
      <SavedSweeps />
    </div>
  );
}

/** Space pauses and resumes the sweep while it is on screen, instead of the lanes hidden behind it. */
function useSweepSpace() {
  const store = useSweepStore();
  useEffect(() => {
    if (!store) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.repeat || shortcutFor(event, 0)?.kind !== 'togglePlay') return;
      // Before the lab's shortcuts (they listen without capture and skip a key already handled).
      event.preventDefault();
      void store.getState().togglePause();
    };
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
  }, [store]);
}

/** The sweep for a class: large type, the map filling a 1280×720 screen, its controls, space to pause. */
/** `children`: what the page shows above the map (the lesson bar during a lesson). */
export function SweepClassroomView({ children }: { children?: ReactNode }) {
  useSweepSpace();
  // The sweep's title is the map's own (drawn in it): the header stays one line at 1280 px.
  return (
    <div className="classroom classroom--sweep" data-testid="sweep-view" data-layout="classroom">
      <header className="classroom__header">
        <h1 className="classroom__title">
          Grok Lab<span className="classroom__dataset"> · Sweep</span>
        </h1>
        <SweepControls compact />
        <p className="classroom__keys" data-testid="classroom-keys">
          <kbd>Space</kbd> pause/resume
        </p>
        <ClassroomToggle />
      </header>
      <Notices />
      {children}
      <SweepMap classroom />
    </div>
  );
}

/** The sidebar's way in (beside the presets and races). */
export function SweepEntry() {
  const store = useSweepStore();
  const open = useSweep((state) => state.open);
  const setOpen = useSweep((state) => state.setOpen);
  if (!store) return null;
  return (
    <div className="sweep-entry">
      <button type="button" className="button" aria-pressed={open} onClick={() => setOpen(!open)}>
        {open ? 'Close sweep' : 'Sweep: phase diagram'}
      </button>
    </div>
  );
}

/** The sweep view when it is open, else the lanes' content. */
export function useSweepOpen(): boolean {
  const store = useSweepStore();
  const open = useSweep((state) => state.open);
  return store !== null && open;
}
