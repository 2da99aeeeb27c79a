import { useMemo } from 'react';
import { useLab } from '../store';
import { raceMessage, raceOutcome } from '../lanes/race';

/** Announces the race: who grokked first, with every lane's numbers (a live region, present before it speaks). */
export function RaceBanner() {
  const lanes = useLab((state) => state.lanes);
  const outcome = useMemo(() => raceOutcome(lanes), [lanes]);
  const message = useMemo(() => raceMessage(lanes, outcome), [lanes, outcome]);
  const winner = outcome.decided && outcome.leader !== null ? lanes[outcome.leader] : null;
  return (
    <div
      role="status"
      aria-live="polite"
      data-testid="race-banner"
      className={`race-banner ${message ? 'race-banner--visible' : ''} ${winner ? 'race-banner--decided' : ''}`}
      style={winner ? { borderColor: winner.color } : undefined}
    >
      {message && (
        <>
          <span className="race-banner__icon" aria-hidden="true">
            {winner ? '✦' : '…'}
          </span>
          {message}
        </>
      )}
    </div>
  );
}
