import { useState } from 'react';
import { pendingChangeLabel } from '../logic/fields';
import { formatInteger, formatRate } from '../logic/format';
import { describeEvent } from '../logic/events';
import { playLabel, statusText } from '../logic/status';
import { stopReason } from '../logic/stopReason';
import { summarize } from '../lanes/summary';
import { useShallow } from 'zustand/react/shallow';
import { useLab, useLane } from '../store';

const STEP_COUNTS = [1, 10, 100, 1000];

/** Step and its steps-per-click menu; `hint`, if given, is the tooltip of both (e.g. why they are off). */
function StepGroup({
  stepCount,
  disabled,
  hint,
  onStep,
  onStepCount,
}: {
  stepCount: number;
  disabled: boolean;
  hint?: string;
  onStep?: () => void;
  onStepCount?: (count: number) => void;
}) {
  return (
    <span className="step-group" title={hint}>
      <button type="button" className="button" onClick={onStep} disabled={disabled} title={hint}>
        Step
      </button>
      <select
        aria-label="Steps per click"
        value={stepCount}
        onChange={(event) => onStepCount?.(Number(event.target.value))}
        disabled={disabled}
      >
        {STEP_COUNTS.map((count) => (
          <option key={count} value={count}>
            ×{count}
          </option>
        ))}
      </select>
    </span>
  );
}

/**
 * Start/Pause, Step, Reset, the step counter and the speed readout, for the lanes on screen: one lane, its own;
 * a race, every lane together (the readouts: the furthest lane's step, the lanes' summed speed).
 */
export function RunControls({ compact = false }: { compact?: boolean }) {
  const { phase, status, busy, step, stepsPerSecond } = useLab(useShallow((state) => summarize(state.lanes)));
  const laneCount = useLab((state) => state.lanes.length);
  const pendingReset = useLab(useShallow((state) => state.lanes.flatMap((lane) => lane.pendingReset)));
  const togglePlay = useLab((state) => state.togglePlay);
  const stepOnce = useLab((state) => state.stepOnce);
  const reset = useLab((state) => state.reset);
  const training = useLane((state) => state.config.training);
  const grokked = useLane((state) => state.milestones.grokked);
  const schedule = useLane((state) => state.schedule);
  const clearSchedule = useLab((state) => state.clearSchedule);
  const [stepCount, setStepCount] = useState(1);
  const ready = phase === 'ready' && !busy;
  // A finished race (its workers released) can still be raced again; a build that takes long can be abandoned.
  const canReset = phase === 'ready' || phase === 'closed' || busy;
  const running = status === 'running';
  const label = playLabel(status, step);
  const every = laneCount > 1 ? ` every lane (${laneCount})` : '';

  return (
    <div className={`run-controls ${compact ? 'run-controls--compact' : ''}`}>
      <div className="run-controls__buttons" role="group" aria-label="Run controls">
        <button
          type="button"
          className={`button button--primary ${running ? 'button--pause' : ''}`}
          onClick={() => void togglePlay()}
          disabled={!ready}
          aria-keyshortcuts="Space"
          title={`${label}s${every}`}
        >
          {label}
        </button>
        {!compact && (
          <StepGroup
            stepCount={stepCount}
            disabled={!ready || running}
            hint={laneCount > 1 ? `Steps${every}` : undefined}
            onStep={() => void stepOnce(stepCount)}
            onStepCount={setStepCount}
          />
        )}
        <button
          type="button"
          className={`button ${pendingReset.length > 0 ? 'button--attention' : ''}`}
          onClick={() => void reset()}
          disabled={!canReset}
          aria-keyshortcuts="R"
          title={laneCount > 1 ? `Resets${every} to step 0, from the same initial weights` : undefined}
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
          {[...new Set(pendingReset)].map(pendingChangeLabel).join(', ')}
        </p>
      )}
    </div>
  );
}
