import { memo, useMemo } from 'react';
import { REGULARIZER_IDS, REGULARIZERS } from '../../engine/regularizers/registry';
import { useChartPace } from '../charts/useChartData';
import { BACKEND_NAMES } from '../components/BackendBadge';
import { Switch } from '../components/Switch';
import { describeEvent } from '../logic/events';
import { formatInteger, formatPercent, formatRate } from '../logic/format';
import { gridTargets } from '../logic/gridTargets';
import { ROLLBACK_LABEL } from '../logic/rollback';
import type { Lane } from '../store';
import { useLab } from '../store';
import { PredictionGrid } from '../views/PredictionGrid';
import { formatSeconds, laneFinish } from '../lanes/race';

const LABELS = REGULARIZERS as unknown as Record<string, { label: string }>;

function statusText(lane: Lane): string {
  if (lane.phase === 'starting' || lane.phase === 'disconnected') return 'starting…';
  if (lane.phase === 'failed') return 'failed';
  const finish = laneFinish(lane);
  if (lane.phase === 'closed' || finish.done) {
    return finish.reason === 'grokked' ? 'finished (grokked)' : `stopped (${finish.reason ?? lane.status})`;
  }
  return lane.status;
}

/** The lane's prediction grid (p×p tasks), sized by the caller. */
export function LaneGrid({ lane, size }: { lane: Lane; size: number }) {
  // New predictions come with every evaluation (each canvas update is an image upload): drawn at the charts' pace.
  const predictions = useChartPace(lane.predictions);
  const targets = useMemo(
    () => (lane.run ? gridTargets(lane.config.task, lane.run.grid) : null),
    [lane.run, lane.config.task],
  );
  if (lane.run?.grid && targets) {
    return (
      <PredictionGrid
        gridSize={lane.run.grid.size}
        a={lane.run.grid.a}
        b={lane.run.grid.b}
        targets={targets}
        isTrain={lane.run.isTrain}
        predictions={predictions}
        size={size}
      />
    );
  }
  return (
    <p className="empty-state">
      {lane.phase === 'starting'
        ? 'Starting its worker…'
        : lane.phase === 'closed' && !lane.run
          ? 'A saved lane: its predictions were not kept.'
          : 'No p×p grid for this task.'}
    </p>
  );
}

/** One lane's regularizer switches (live, this lane only); `shortcuts` numbers them 1–9 for the keyboard. */
export function LaneSwitches({
  lane,
  index,
  shortcuts = false,
}: {
  lane: Lane;
  index: number;
  shortcuts?: boolean;
}) {
  const toggle = useLab((state) => state.toggleRegularizer);
  const editable = lane.phase === 'ready' && !laneFinish(lane).done;
  const regularizers = lane.draft.regularizers as Record<string, { enabled: boolean }>;
  return (
    <fieldset className="race-lane__controls" disabled={!editable}>
      <legend>{lane.name} only</legend>
      {REGULARIZER_IDS.map((id, i) => (
        <Switch
          key={id}
          checked={regularizers[id]?.enabled ?? false}
          label={`${lane.name}: ${LABELS[id]?.label ?? id}`}
          onChange={() => toggle(id, index)}
          className="race-lane__switch"
        >
          {shortcuts && i < 9 && <kbd aria-hidden="true">{i + 1}</kbd>}
          <span>{LABELS[id]?.label ?? id}</span>
        </Switch>
      ))}
    </fieldset>
  );
}

function LaneCardImpl({ lane, index, gridSize }: { lane: Lane; index: number; gridSize: number }) {
  const rollback = useLab((state) => state.rollback);
  const last = lane.history.at(-1);
  const finish = laneFinish(lane);
  const backend = lane.activeBackend;
  return (
    <section
      className="race-lane"
      aria-label={`Lane ${lane.name}`}
      data-testid={`lane-${index}`}
      style={{ borderTopColor: lane.color }}
    >
      <header className="race-lane__header">
        <h3 className="race-lane__name">
          <span className="race-lane__swatch" style={{ background: lane.color }} aria-hidden="true" />
          {lane.name}
        </h3>
        <span className="race-lane__difference">{lane.difference.join(', ') || 'same settings'}</span>
      </header>
      <dl className="race-lane__stats">
        <div>
          <dt>step</dt>
          <dd data-testid={`lane-${index}-step`}>{formatInteger(lane.step)}</dd>
        </div>
        <div>
          <dt>steps/s</dt>
          <dd data-testid={`lane-${index}-rate`}>{formatRate(lane.stepsPerSecond)}</dd>
        </div>
        <div>
          <dt>test acc.</dt>
          <dd data-testid={`lane-${index}-test`}>{last ? formatPercent(last.testAccuracy) : '—'}</dd>
        </div>
        <div>
          <dt>backend</dt>
          <dd title={lane.backend?.summary}>{backend ? BACKEND_NAMES[backend] : '…'}</dd>
        </div>
        <div>
          <dt>status</dt>
          <dd data-testid={`lane-${index}-status`}>{statusText(lane)}</dd>
        </div>
        <div>
          <dt>finish</dt>
          <dd data-testid={`lane-${index}-finish`}>
            {finish.grokStep === null
              ? '—'
              : `step ${formatInteger(finish.grokStep)}${finish.grokWallMs === null ? '' : ` · ${formatSeconds(finish.grokWallMs)}`}`}
          </dd>
        </div>
      </dl>
      {lane.status === 'diverged' && (
        <div
          className="notice notice--warning race-lane__notice"
          role="alert"
          data-testid={`lane-${index}-message`}
        >
          <span className="notice__text">
            {lane.message ?? `${lane.name} diverged at step ${formatInteger(lane.step)}.`}
          </span>
          {lane.canRollBack && (
            <button
              type="button"
              className="button"
              aria-label={`${ROLLBACK_LABEL} (lane ${lane.name})`}
              onClick={() => void rollback(index)}
            >
              {ROLLBACK_LABEL}
            </button>
          )}
        </div>
      )}
      <LaneGrid lane={lane} size={gridSize} />
      <LaneSwitches lane={lane} index={index} />
      <ul
        className="race-lane__events"
        aria-label={`Changes in lane ${lane.name}`}
        data-testid={`lane-${index}-events`}
      >
        {lane.eventLog.events.map((event, i) => (
          <li key={i}>
            step {formatInteger(event.step)}: {describeEvent(event)}
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * One lane: what sets it apart, where it is, how fast, its own regularizer switches and prediction grid. Memoized:
 * each lane's worker streams its own batches, and a batch of one lane leaves the other lanes' objects (and cards)
 * as they were.
 */
export const LaneCard = memo(LaneCardImpl);
