import { useState } from 'react';
import { FIELD_LABELS } from '../logic/fields';
import { formatInteger, formatRate } from '../logic/format';
import { describeEvent } from '../logic/events';
import { playLabel, statusText } from '../logic/status';
import { stopReason } from '../logic/stopReason';
import { useLab } from '../store';

const STEP_COUNTS = [1, 10, 100, 1000];

/** Start/Pause, Step, Reset, the step counter and the speed readout. */
export function RunControls({ compact = false }: { compact?: boolean }) {
  const phase = useLab((state) => state.phase);
  const status = useLab((state) => state.status);
  const busy = useLab((state) => state.busy);
  const step = useLab((state) => state.step);
  const stepsPerSecond = useLab((state) => state.stepsPerSecond);
  const pendingReset = useLab((state) => state.pendingReset);
  const togglePlay = useLab((state) => state.togglePlay);
  const stepOnce = useLab((state) => state.stepOnce);
  const reset = useLab((state) => state.reset);
  const training = useLab((state) => state.config.training);
  const grokked = useLab((state) => state.milestones.grokked);
  const schedule = useLab((state) => state.schedule);
  const clearSchedule = useLab((state) => state.clearSchedule);
  const [stepCount, setStepCount] = useState(1);
  const ready = phase === 'ready' && !busy;
  const running = status === 'running';
  const label = playLabel(status, step);

  return (
    <div className={`run-controls ${compact ? 'run-controls--compact' : ''}`}>
      <div className="run-controls__buttons" role="group" aria-label="Run controls">
        <button
          type="button"
          className={`button button--primary ${running ? 'button--pause' : ''}`}
          onClick={() => void togglePlay()}
          disabled={!ready}
          aria-keyshortcuts="Space"
        >
          {label}
        </button>
        {!compact && (
          <span className="step-group">
            <button
              type="button"
              className="button"
              onClick={() => void stepOnce(stepCount)}
              disabled={!ready || running}
            >
              Step
            </button>
            <select
              aria-label="Steps per click"
              value={stepCount}
              onChange={(event) => setStepCount(Number(event.target.value))}
              disabled={!ready || running}
            >
              {STEP_COUNTS.map((count) => (
                <option key={count} value={count}>
                  ×{count}
                </option>
              ))}
            </select>
          </span>
        )}
        <button
          type="button"
          className={`button ${pendingReset.length > 0 ? 'button--attention' : ''}`}
          onClick={() => void reset()}
          disabled={!ready}
          aria-keyshortcuts="R"
        >
          Reset
        </button>
      </div>
      <dl className="readouts">
        <div className="readout">
          <dt>Step</dt>
          <dd data-testid="step-counter" aria-live="off">
            {formatInteger(step)}
          </dd>
        </div>
        <div className="readout">
          <dt>Steps/s</dt>
          <dd data-testid="steps-per-second">{running ? formatRate(stepsPerSecond) : '—'}</dd>
        </div>
        <div className="readout">
          <dt>Status</dt>
          <dd className={`status status--${phase === 'ready' ? status : phase}`}>
            {statusText(phase, status, busy)}
          </dd>
        </div>
      </dl>
      {status === 'finished' && !compact && (
        <p className="run-controls__note" role="note">
          {stopReason(step, training, grokked)}
        </p>
      )}
      {schedule.length > 0 && !compact && (
        <p className="run-controls__note" role="note">
          The link replays {schedule.length} change{schedule.length > 1 ? 's' : ''} (next at step{' '}
          {formatInteger(schedule[0].step)}: {describeEvent(schedule[0])}).{' '}
          <button type="button" className="link-button" onClick={clearSchedule}>
            Don’t replay
          </button>
        </p>
      )}
      {pendingReset.length > 0 && !compact && (
        <p className="run-controls__pending" role="note">
          {step > 0 ? 'Reset to apply: ' : 'Applies when you start: '}
          {pendingReset.map((path) => FIELD_LABELS[path] ?? path).join(', ')}
        </p>
      )}
    </div>
  );
}
