import { useEffect, useMemo, useState } from 'react';
import { exportRunJson, downloadBlob, runFileName } from '../../lib/exportRun';
import { encodeRaceLink } from '../../lib/raceUrl';
import { TimeSeriesChart } from '../charts/TimeSeriesChart';
import { useThrottled } from '../hooks/useThrottled';
import type { AxisScale } from '../logic/downsample';
import { formatInteger } from '../logic/format';
import { LaneCard } from './LaneCard';
import { fairnessIssues, finishMarkers, historyRate, rateBalance } from './lanes';
import { RaceBanner } from './RaceBanner';
import { overlayCharts, raceMarkers } from './raceCharts';
import { useRace, useRaceStore, type LaneState } from './raceStore';
import './race.css';

const BACKEND_LABELS: Record<string, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU' };

/** "Fair race: both lanes on WASM, evaluated every 50 steps, seed 0" — or what makes it unfair. */
function FairnessLine({ lanes }: { lanes: LaneState[] }) {
  const issues = fairnessIssues(lanes);
  const backend = lanes[0]?.backend;
  const rates = lanes.map((lane) => historyRate(lane.history) ?? 0);
  const balance = rateBalance(rates);
  if (issues.length > 0) {
    return (
      <p className="race__fairness race__fairness--unfair" data-testid="race-fairness">
        Not a fair race: {issues.join('; ')}.
      </p>
    );
  }
  return (
    <p className="race__fairness" data-testid="race-fairness">
      Fair race: {lanes.length === 2 ? 'both' : `all ${lanes.length}`} lanes on{' '}
      {backend ? (BACKEND_LABELS[backend] ?? backend) : '…'}, evaluated every{' '}
      {formatInteger(lanes[0]?.config.training.evalEvery ?? 0)} steps, seed {lanes[0]?.config.seed ?? '—'},
      one worker (one core) each
      {balance !== null &&
        ` · speed balance ${Math.round(balance * 100)}% (slower lane ÷ faster lane, training time)`}
      .
    </p>
  );
}

/** Throttled lanes for the charts (the workers stream up to ten batches a second each). */
const CHART_INTERVAL_MS = 300;

function RaceCharts({ lanes, xScale }: { lanes: LaneState[]; xScale: AxisScale }) {
  const shown = useThrottled(lanes, CHART_INTERVAL_MS);
  const overlay = useMemo(() => overlayCharts(shown), [shown]);
  const markers = useMemo(
    () =>
      raceMarkers(
        shown.map((lane) => ({ name: lane.name, events: lane.eventLog.events })),
        finishMarkers(shown),
      ),
    [shown],
  );
  return (
    <div className="race__charts">
      {overlay.specs.map((spec) => (
        <TimeSeriesChart
          key={spec.id}
          spec={spec}
          history={overlay.history}
          xScale={xScale}
          markers={markers}
          height={spec.id === 'race-accuracy' ? 260 : 190}
        />
      ))}
    </div>
  );
}

/** Race mode: lanes side by side, overlaid charts, a finish line per lane and a banner for the winner. */
export function RaceView({ onClose }: { onClose?: () => void }) {
  const store = useRaceStore();
  const title = useRace((state) => state.title);
  const lanes = useRace((state) => state.lanes);
  const phase = useRace((state) => state.phase);
  const busy = useRace((state) => state.busy);
  const errors = useRace((state) => state.errors);
  const preset = useRace((state) => state.preset);
  const savedId = useRace((state) => state.savedId);
  const reopened = useRace((state) => state.reopened);
  const [xScale, setXScale] = useState<AxisScale>('linear');
  const [copied, setCopied] = useState(false);
  const running = phase === 'running';
  // The address bar shares the race while it is open (after the lab's own URL sync has settled).
  useEffect(() => {
    if (!preset) return;
    const timer = setTimeout(() => history.replaceState(null, '', `#${encodeRaceLink(preset)}`), 800);
    return () => clearTimeout(timer);
  }, [preset, phase]);
  const canPlay = phase === 'ready' || phase === 'paused' || running;

  const exportRace = () => {
    const run = store.getState().capture();
    if (!run) return;
    const { text } = exportRunJson(run);
    downloadBlob(new Blob([text], { type: 'application/json' }), runFileName(run, 'json'));
  };

  const copyLink = () => {
    if (!preset) return;
    const url = `${location.origin}${location.pathname}#${encodeRaceLink(preset)}`;
    history.replaceState(null, '', `#${encodeRaceLink(preset)}`);
    void navigator.clipboard?.writeText(url).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };

  return (
    <section className="race" aria-labelledby="race-title" data-testid="race-view">
      <header className="race__header">
        <h2 id="race-title" className="race__title">
          Race · {title}
        </h2>
        <div className="race__buttons">
          <button
            type="button"
            className="button button--primary"
            disabled={!canPlay || busy}
            onClick={() => void store.getState().togglePlay()}
          >
            {running ? 'Pause race' : phase === 'paused' ? 'Resume race' : 'Start race'}
          </button>
          <button
            type="button"
            className="button"
            disabled={busy || lanes.length === 0}
            onClick={() => void store.getState().reset()}
          >
            Reset race
          </button>
          <button type="button" className="button" disabled={lanes.length < 2} onClick={exportRace}>
            Export race
          </button>
          {preset && (
            <button type="button" className="button" onClick={copyLink}>
              {copied ? 'Link copied' : 'Copy race link'}
            </button>
          )}
          <button
            type="button"
            className="button"
            aria-pressed={xScale === 'log'}
            onClick={() => setXScale(xScale === 'log' ? 'linear' : 'log')}
          >
            Steps: {xScale}
          </button>
          <button
            type="button"
            className="button"
            onClick={() => {
              store.getState().close();
              onClose?.();
            }}
          >
            Close race
          </button>
        </div>
      </header>
      <FairnessLine lanes={lanes} />
      <RaceBanner />
      {errors.length > 0 && (
        <ul className="race__errors" role="alert">
          {errors.map((text, i) => (
            <li key={i}>{text}</li>
          ))}
        </ul>
      )}
      {phase === 'finished' && (
        <p className="race__saved" data-testid="race-saved">
          {reopened
            ? 'Saved race, reopened from your runs: every lane’s curves, finish line and result as they were saved. Reset race runs it again from the same weights.'
            : `Race over${savedId ? ': saved as one comparison in your runs' : ''}. ${
                lanes.some((lane) => lane.phase === 'ready')
                  ? 'A diverged lane keeps its worker until it is rolled back or the race is reset.'
                  : 'Both workers have been released.'
              }`}
        </p>
      )}
      <div
        className="race__lanes"
        style={{ gridTemplateColumns: `repeat(${Math.max(1, lanes.length)}, minmax(0, 1fr))` }}
      >
        {lanes.map((lane, index) => (
          <LaneCard key={index} lane={lane} index={index} gridSize={lanes.length > 2 ? 160 : 210} />
        ))}
      </div>
      <RaceCharts lanes={lanes} xScale={xScale} />
    </section>
  );
}
