import { REGULARIZER_IDS, REGULARIZERS } from '../../engine/regularizers/registry';
import { Switch } from '../components/Switch';
import { describeEvent } from '../logic/events';
import { formatInteger, formatPercent, formatRate } from '../logic/format';
import { ROLLBACK_LABEL } from '../logic/rollback';
import { PredictionGrid } from '../views/PredictionGrid';
import { formatSeconds, laneFinish } from './lanes';
import { useRace, type LaneState } from './raceStore';

const LABELS = REGULARIZERS as unknown as Record<string, { label: string }>;

const BACKEND_LABELS: Record<string, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU' };

function statusText(lane: LaneState): string {
  if (lane.phase === 'starting') return 'starting…';
  if (lane.phase === 'failed') return 'failed';
  const finish = laneFinish(lane);
  if (lane.phase === 'closed' || finish.done) {
    return finish.reason === 'grokked' ? 'finished (grokked)' : `stopped (${finish.reason ?? lane.status})`;
  }
  return lane.status;
}

/** One lane: what sets it apart, where it is, how fast, its own regularizer switches and prediction grid. */
export function LaneCard({ lane, index, gridSize }: { lane: LaneState; index: number; gridSize: number }) {
  const toggle = useRace((state) => state.toggleRegularizer);
  const rollback = useRace((state) => state.rollbackLane);
  const reopened = useRace((state) => state.reopened);
  const last = lane.history.at(-1);
  const finish = laneFinish(lane);
  const editable = lane.phase === 'ready' && !finish.done;
  const regularizers = lane.config.regularizers as Record<string, { enabled: boolean }>;
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
          <dd title={lane.backendSummary ?? undefined}>
            {lane.backend ? (BACKEND_LABELS[lane.backend] ?? lane.backend) : '…'}
          </dd>
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
      {lane.grid ? (
        <PredictionGrid
          gridSize={lane.grid.size}
          a={lane.grid.a}
          b={lane.grid.b}
          targets={lane.grid.targets}
          isTrain={lane.grid.isTrain}
          predictions={lane.predictions}
          size={gridSize}
        />
      ) : (
        <p className="empty-state">
          {lane.phase === 'starting'
            ? 'Starting its worker…'
            : reopened
              ? 'A saved lane: its predictions were not kept.'
              : 'No p×p grid for this task.'}
        </p>
      )}
      <fieldset className="race-lane__controls" disabled={!editable}>
        <legend>This lane only</legend>
        {REGULARIZER_IDS.map((id) => (
          <Switch
            key={id}
            checked={regularizers[id]?.enabled ?? false}
            label={`${lane.name}: ${LABELS[id]?.label ?? id}`}
            onChange={() => void toggle(index, id)}
            className="race-lane__switch"
          >
            <span>{LABELS[id]?.label ?? id}</span>
          </Switch>
        ))}
      </fieldset>
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
