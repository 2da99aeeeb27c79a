import { useMemo, useState } from 'react';
import { encodeRaceLink } from '../../lib/raceUrl';
import { TimeSeriesChart } from '../charts/TimeSeriesChart';
import { useThrottled } from '../hooks/useThrottled';
import type { AxisScale } from '../logic/downsample';
import type { ChartSpec } from '../logic/charts';
import type { Marker } from '../logic/events';
import { formatInteger } from '../logic/format';
import type { MetricRecord } from '../../worker/protocol';
import { useLab, type Lane } from '../store';
import { BACKEND_NAMES } from '../components/BackendBadge';
import { LaneCard } from './LaneCard';
import { fairnessIssues, finishMarkers, historyRate, rateBalance } from '../lanes/race';
import { RaceBanner } from './RaceBanner';
import { overlayCharts, raceMarkers } from '../logic/overlayCharts';
import { LanesProgressChart } from '../panels/ProgressPanels';
import './race.css';

/** "Fair race: both lanes on WASM, evaluated every 50 steps, seed 0" — or what makes it unfair. */
function FairnessLine({ lanes }: { lanes: Lane[] }) {
  const fairness = lanes.map((lane) => ({ ...lane, backend: lane.activeBackend }));
  const issues = fairnessIssues(fairness);
  const backend = lanes[0]?.activeBackend;
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
      {backend ? BACKEND_NAMES[backend] : '…'}, evaluated every{' '}
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

export interface LaneCharts {
  specs: ChartSpec[];
  history: MetricRecord[];
  markers: Marker[];
  /** The lanes as the charts drew them (throttled). */
  lanes: readonly Lane[];
}

/** The lanes' overlay charts (a line per lane) and their markers: config changes and finish lines. */
export function useLaneCharts(): LaneCharts {
  const shown = useThrottled(
    useLab((state) => state.lanes),
    CHART_INTERVAL_MS,
  );
  return useMemo(() => {
    const overlay = overlayCharts(shown);
    const markers = raceMarkers(
      shown.map((lane) => ({ name: lane.name, events: lane.eventLog.events })),
      finishMarkers(shown),
    );
    return { ...overlay, markers, lanes: shown };
  }, [shown]);
}

/** One overlay chart of the lanes, by id ('race-accuracy', 'race-radius', …). */
export function LaneChart({
  charts,
  id,
  xScale,
  height,
  large = false,
}: {
  charts: LaneCharts;
  id: string;
  xScale: AxisScale;
  height: number | 'fill';
  large?: boolean;
}) {
  const { specs, history, markers } = charts;
  const spec = specs.find((each) => each.id === id);
  if (!spec) return null;
  return (
    <TimeSeriesChart
      spec={spec}
      history={history}
      xScale={xScale}
      markers={markers}
      height={height}
      large={large}
    />
  );
}

/** The race's share link, copied to the clipboard. */
function CopyRaceLink() {
  const preset = useLab((state) => state.presetName);
  const [copied, setCopied] = useState(false);
  if (!preset) return null;
  const copy = () => {
    const url = `${location.origin}${location.pathname}#${encodeRaceLink(preset)}`;
    void navigator.clipboard?.writeText(url).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <button type="button" className="button" onClick={copy}>
      {copied ? 'Link copied' : 'Copy race link'}
    </button>
  );
}

/**
 * The lanes of a race: the banner and the accuracy of every lane first (the picture the class is there to see),
 * then a card per lane (its numbers, grid and switches) and the other overlaid charts. The top bar's controls
 * drive every lane.
 */
export function RaceView() {
  const title = useLab((state) => state.title);
  const lanes = useLab((state) => state.lanes);
  const xScale = useLab((state) => state.xScale);
  const over = useLab((state) => state.savedId !== null && state.savedId === state.experimentId);
  const charts = useLaneCharts();
  const shownLanes = charts.lanes;
  return (
    <section className="race" aria-labelledby="race-title" data-testid="race-view">
      <header className="race__header">
        <h2 id="race-title" className="race__title">
          Race · {title}
        </h2>
        <div className="race__buttons">
          <CopyRaceLink />
        </div>
      </header>
      <RaceBanner />
      <LaneChart charts={charts} id="race-accuracy" xScale={xScale} height={260} />
      <FairnessLine lanes={lanes} />
      {over && (
        <p className="race__saved" data-testid="race-saved">
          {lanes.some((lane) => lane.phase === 'ready')
            ? 'Saved in your runs as it stands. A lane still holding its worker (diverged, or resumed) can go on.'
            : 'Race over: saved as one comparison in your runs; every worker has been released. Reset races it again from the same weights.'}
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
      <div className="race__charts">
        <LanesProgressChart lanes={shownLanes} markers={charts.markers} xScale={xScale} />
        {charts.specs
          .filter((spec) => spec.id !== 'race-accuracy')
          .map((spec) => (
            <LaneChart key={spec.id} charts={charts} id={spec.id} xScale={xScale} height={190} />
          ))}
      </div>
    </section>
  );
}
