import { useState } from 'react';
import { useStore } from 'zustand';
import { FIELD_LABELS } from '../logic/fields';
import { formatInteger, formatRate } from '../logic/format';
import { describeEvent } from '../logic/events';
import { playLabel, statusText } from '../logic/status';
import { stopReason } from '../logic/stopReason';
import { driveRace, useRaceOnScreen } from '../race/raceOnScreen';
import type { RaceStore } from '../race/raceStore';
import { useLab } from '../store';

const STEP_COUNTS = [1, 10, 100, 1000];

/** Why Step is off while the race is shown. */
export const RACE_STEP_HINT =
  'Step moves the single run, which the race view hides; the race’s lanes run together. Close the race to step.';

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
 * The top bar's buttons while the race view is shown: they drive the race (as space and r do), not the hidden
 * single run. Step has no meaning for lanes that run together, so it is off and says why.
 */
function RaceRunButtons({ race, stepCount }: { race: RaceStore; stepCount: number }) {
  const phase = useStore(race, (state) => state.phase);
  const busy = useStore(race, (state) => state.busy);
  const laneCount = useStore(race, (state) => state.lanes.length);
  const running = phase === 'running';
  const canPlay = phase === 'ready' || phase === 'paused' || running;
  const [label, verb] = running
    ? ['Pause', 'Pauses']
    : phase === 'paused'
      ? ['Resume', 'Resumes']
      : ['Start', 'Starts'];
  return (
    <>
      <button
        type="button"
        className={`button button--primary ${running ? 'button--pause' : ''}`}
        onClick={() => driveRace(race.getState(), { kind: 'togglePlay' })}
        disabled={!canPlay || busy}
        aria-keyshortcuts="Space"
        title={`${verb} every lane of the race`}
      >
        {label}
      </button>
      <StepGroup stepCount={stepCount} disabled hint={RACE_STEP_HINT} />
      <button
        type="button"
        className="button"
        onClick={() => driveRace(race.getState(), { kind: 'reset' })}
        disabled={busy || laneCount === 0}
        aria-keyshortcuts="R"
        title="Resets every lane of the race to step 0, from the same initial weights"
      >
        Reset
      </button>
    </>
  );
}

/**
 * Start/Pause, Step, Reset, the step counter and the speed readout. The buttons act on what is on screen: the
 * race while its view is shown, else the single run; the readouts are the single run's.
 */
export function RunControls({ compact = false }: { compact?: boolean }) {
  const race = useRaceOnScreen();
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
        {race ? (
          <RaceRunButtons race={race} stepCount={stepCount} />
        ) : (
          <>
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
              <StepGroup
                stepCount={stepCount}
                disabled={!ready || running}
                onStep={() => void stepOnce(stepCount)}
                onStepCount={setStepCount}
              />
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
          </>
        )}
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
