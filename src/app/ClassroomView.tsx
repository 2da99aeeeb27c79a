import { useMemo } from 'react';
import { REGULARIZERS } from '../engine/regularizers/registry';
import type { RegularizerDefinition } from '../engine/regularizers/spec';
import { TimeSeriesChart } from './charts/TimeSeriesChart';
import { useChartData, useChartHistory } from './charts/useChartData';
import { ClassroomToggle } from './components/ClassroomToggle';
import { GrokBanner } from './components/GrokBanner';
import { Notices } from './components/Notices';
import { Switch } from './components/Switch';
import { ACCURACY_CHART, radiusChart } from './logic/charts';
import { formatInteger } from './logic/format';
import { RunControls } from './panels/RunControls';
import { PredictionGridPanel } from './panels/RunViews';
import { REGULARIZER_ORDER, useLab } from './store';

const DEFINITIONS = REGULARIZERS as unknown as Record<string, RegularizerDefinition>;

function RegularizerChips() {
  const regularizers = useLab((state) => state.draft.regularizers) as Record<string, { enabled: boolean }>;
  const toggle = useLab((state) => state.toggleRegularizer);
  return (
    <ul className="classroom__chips" aria-label="Regularizers">
      {REGULARIZER_ORDER.map((id, index) => (
        <li key={id}>
          <Switch
            checked={regularizers[id]?.enabled === true}
            label={DEFINITIONS[id].label}
            onChange={() => toggle(id)}
            className="switch--chip"
          >
            {index < 9 && <kbd aria-hidden="true">{index + 1}</kbd>}
            <span aria-hidden="true">{DEFINITIONS[id].label}</span>
          </Switch>
        </li>
      ))}
    </ul>
  );
}

/** Presentation layout: large type, high contrast, accuracy + prediction grid + radius; fits 1280×720. */
export function ClassroomView() {
  const { markers } = useChartData();
  const history = useChartHistory();
  const xScale = useLab((state) => state.xScale);
  const step = useLab((state) => state.step);
  const sites = useLab((state) => state.run?.sites);
  const title = useLab((state) => state.run?.datasetTitle);
  const radius = useMemo(() => radiusChart(sites ?? []), [sites]);
  return (
    <div className="classroom">
      <header className="classroom__header">
        <h1 className="classroom__title">
          Grok Lab{title && <span className="classroom__dataset"> · {title}</span>}
        </h1>
        <RunControls compact />
        <p className="classroom__keys">
          <kbd>Space</kbd> start/pause · <kbd>R</kbd> reset · <kbd>1</kbd>–<kbd>9</kbd> toggle
        </p>
        <p className="classroom__step" aria-label={`Step ${formatInteger(step)}`}>
          <span className="classroom__step-label">step</span> {formatInteger(step)}
        </p>
        <ClassroomToggle />
      </header>
      <Notices />
      <GrokBanner />
      <main className="classroom__grid">
        <TimeSeriesChart
          spec={ACCURACY_CHART}
          history={history}
          xScale={xScale}
          markers={markers}
          height="fill"
          large
        />
        <PredictionGridPanel size="fill" />
        <TimeSeriesChart
          spec={radius}
          history={history}
          xScale={xScale}
          markers={markers}
          height="fill"
          large
        />
      </main>
      <footer className="classroom__footer">
        <RegularizerChips />
      </footer>
    </div>
  );
}
