import { milestoneMessage } from '../logic/banner';
import { useLane } from '../store';

/** Announces memorization and the grokking moment (a live region that exists before it has anything to say). */
export function GrokBanner() {
  const milestones = useLane((state) => state.milestones);
  const message = milestoneMessage(milestones);
  const grokked = milestones.grokked !== null && milestones.collapsed === null;
  const collapsed = milestones.collapsed !== null;
  return (
    <div
      role="status"
      aria-live="polite"
      className={`grok-banner ${message ? 'grok-banner--visible' : ''} ${grokked ? 'grok-banner--grokked' : ''} ${collapsed ? 'grok-banner--collapsed' : ''}`}
    >
      {message && (
        <>
          <span className="grok-banner__icon" aria-hidden="true">
            {collapsed ? '!' : grokked ? '✦' : '…'}
          </span>
          {message}
        </>
      )}
    </div>
  );
}
