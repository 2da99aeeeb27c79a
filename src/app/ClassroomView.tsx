import { useMemo } from 'react';
import { REGULARIZERS } from '../engine/regularizers/registry';
import type { RegularizerDefinition } from '../engine/regularizers/spec';
import { TimeSeriesChart } from './charts/TimeSeriesChart';
import { useChartData, useChartHistory } from './charts/useChartData';
import { ClassroomToggle } from './components/ClassroomToggle';
import { GrokBanner } from './components/GrokBanner';
import { Notices } from './components/Notices';
import { Switch } from './components/Switch';
import { useElementSize } from './hooks/useElementSize';
import { ACCURACY_CHART, radiusChart } from './logic/charts';
import { formatInteger } from './logic/format';
import { LessonBar } from './lessons/LessonBar';
import { HiddenProgressLine } from './panels/ProgressPanels';
import { RunControls } from './panels/RunControls';
import { PredictionGridPanel } from './panels/RunViews';
import { LaneGrid } from './race/LaneCard';
import { RaceBanner } from './race/RaceBanner';
import { LaneChart, useLaneCharts } from './race/RaceView';
import { REGULARIZER_ORDER, useLab, useLane, type Lane } from './store';
import { useRef } from 'react';

const DEFINITIONS = REGULARIZERS as unknown as Record<string, RegularizerDefinition>;

/** A lane's regularizer chips; the lane the number keys act on shows them (1–9). */
function RegularizerChips({ lane, index, keyed }: { lane: Lane; index: number; keyed: boolean }) {
  const toggle = useLab((state) => state.toggleRegularizer);
  const racing = useLab((state) => state.lanes.length > 1);
  const regularizers = lane.draft.regularizers as Record<string, { enabled: boolean }>;
  return (
    <ul
      className={`classroom__chips ${keyed && racing ? 'classroom__chips--keyed' : ''}`}
      aria-label={racing ? `Regularizers of lane ${lane.name}` : 'Regularizers'}
      data-testid={`chips-${index}`}
      style={racing ? { borderColor: lane.color } : undefined}
    >
      {racing && (
        <li className="classroom__chips-lane" style={{ color: lane.color }}>
          {lane.name}
        </li>
      )}
      {REGULARIZER_ORDER.map((id, i) => (
        <li key={id}>
          <Switch
            checked={regularizers[id]?.enabled === true}
            label={racing ? `${lane.name}: ${DEFINITIONS[id].label}` : DEFINITIONS[id].label}
            onChange={() => toggle(id, index)}
            className="switch--chip"
          >
            {keyed && i < 9 && <kbd aria-hidden="true">{i + 1}</kbd>}
            <span aria-hidden="true">{DEFINITIONS[id].label}</span>
          </Switch>
        </li>
      ))}
    </ul>
  );
}

/** One lane: accuracy, prediction grid and hidden radius. */
function SingleLaneGrid() {
  const { markers } = useChartData();
  const history = useChartHistory();
  const xScale = useLab((state) => state.xScale);
  const sites = useLane((state) => state.run?.sites);
  const radius = useMemo(() => radiusChart(sites ?? []), [sites]);
  return (
    <main className="classroom__grid">
      {[ACCURACY_CHART, null, radius].map((spec) =>
        spec ? (
          <TimeSeriesChart
            key={spec.id}
            spec={spec}
            history={history}
            xScale={xScale}
            markers={markers}
            height="fill"
            large
          />
        ) : (
          <PredictionGridPanel key="grid" size="fill" />
        ),
      )}
    </main>
  );
}

/** A lane's grid, as large as its cell allows. */
function FillLaneGrid({ lane }: { lane: Lane }) {
  const box = useRef<HTMLDivElement>(null);
  const room = useElementSize(box);
  const size = Math.max(100, Math.floor(Math.min(room.width, room.height - 70)));
  return (
    <section className="panel view-panel view-panel--fill" aria-label={`Predictions of lane ${lane.name}`}>
      <h2 className="panel__title" style={{ color: lane.color }}>
        {lane.name}
      </h2>
      <div className="view-panel__body" ref={box}>
        <LaneGrid lane={lane} size={size} />
      </div>
    </section>
  );
}

/** A race: every lane's test and train accuracy on one chart, and each lane's prediction grid beside it. */
function RaceGrid() {
  const lanes = useLab((state) => state.lanes);
  const xScale = useLab((state) => state.xScale);
  const charts = useLaneCharts();
  return (
    <main className="classroom__grid classroom__grid--race" data-testid="classroom-race">
      <LaneChart charts={charts} id="race-accuracy" xScale={xScale} height="fill" large />
      <div
        className="classroom__lane-grids"
        style={{ gridTemplateColumns: `repeat(${lanes.length}, minmax(0, 1fr))` }}
      >
        {lanes.map((lane, index) => (
          <FillLaneGrid key={index} lane={lane} />
        ))}
      </div>
    </main>
  );
}

/**
 * Presentation layout: large type, high contrast; fits 1280×720. One lane: accuracy + prediction grid + radius.
 * A race: the winner banner, every lane's accuracy on one chart, each lane's grid and its regularizer chips.
 */
export function ClassroomView() {
  const lanes = useLab((state) => state.lanes);
  const focus = useLab((state) => state.focus);
  const step = useLab((state) => Math.max(0, ...state.lanes.map((lane) => lane.step)));
  const title = useLane((state) => state.run?.datasetTitle);
  const raceTitle = useLab((state) => state.title);
  const racing = lanes.length > 1;
  return (
    <div className={`classroom ${racing ? 'classroom--race' : ''}`}>
      <header className="classroom__header">
        <h1 className="classroom__title">
          Grok Lab
          {racing ? (
            <span className="classroom__dataset"> · Race · {raceTitle}</span>
          ) : (
            title && <span className="classroom__dataset"> · {title}</span>
          )}
        </h1>
        <RunControls compact />
        <p className="classroom__keys" data-testid="classroom-keys">
          <kbd>Space</kbd> start/pause{racing ? ' all' : ''} · <kbd>R</kbd> reset · <kbd>1</kbd>–<kbd>9</kbd>{' '}
          toggle
          {racing && (
            <>
              {' '}
              in <strong style={{ color: lanes[focus]?.color }}>{lanes[focus]?.name}</strong> · <kbd>L</kbd>{' '}
              next lane
            </>
          )}
        </p>
        <p className="classroom__step" aria-label={`Step ${formatInteger(step)}`}>
          <span className="classroom__step-label">step</span> {formatInteger(step)}
        </p>
        <ClassroomToggle />
      </header>
      <Notices />
      <LessonBar />
      {racing ? <RaceBanner /> : <GrokBanner />}
      <HiddenProgressLine lanes={lanes} />
      {racing ? <RaceGrid /> : <SingleLaneGrid />}
      <footer className="classroom__footer">
        {lanes.map((lane, index) => (
          <RegularizerChips key={index} lane={lane} index={index} keyed={index === focus} />
        ))}
      </footer>
    </div>
  );
}
