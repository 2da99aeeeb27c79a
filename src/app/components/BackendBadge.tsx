import { useId } from 'react';
import type { BackendChoice, BackendName } from '../../worker/protocol';
import { formatMs } from '../logic/format';
import { useLab, useLane } from '../store';

/** The backends' names as the page shows them. */
export const BACKEND_NAMES: Record<BackendName, string> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WASM',
  cpu: 'CPU',
};
const CHOICES: BackendChoice[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

/** Which backend runs, why faster ones were skipped, and a way to force one. */
export function BackendBadge({ showPicker = true }: { showPicker?: boolean }) {
  const phase = useLane((state) => state.phase);
  const report = useLane((state) => state.backend);
  const active = useLane((state) => state.activeBackend);
  const choice = useLab((state) => state.backendChoice);
  const busy = useLane((state) => state.busy);
  const setBackendChoice = useLab((state) => state.setBackendChoice);
  const id = useId();
  const name = active ?? report?.backend ?? null;

  return (
    <div className="backend">
      <details className="backend__badge-wrap">
        <summary
          className={`backend__badge ${name ? `backend__badge--${name}` : ''}`}
          aria-describedby={`${id}-summary`}
        >
          <span className="sr-only">Backend: </span>
          {phase === 'starting' || phase === 'disconnected'
            ? 'starting backend…'
            : name
              ? `${BACKEND_NAMES[name]}${report?.threads && name === 'wasm' ? ` · ${report.threads} threads` : ''}`
              : 'no backend'}
        </summary>
        <div className="backend__details" id={`${id}-summary`}>
          {report ? (
            <>
              <p>{report.summary}</p>
              {report.skipped.length > 0 && (
                <ul>
                  {report.skipped.map((entry) => (
                    <li key={entry.backend}>
                      <strong>{BACKEND_NAMES[entry.backend]}</strong> skipped: {entry.reason}
                    </li>
                  ))}
                </ul>
              )}
              {Object.keys(report.measuredMsPerStep).length > 0 && (
                <p>
                  Measured:{' '}
                  {Object.entries(report.measuredMsPerStep)
                    .map(([backend, ms]) => `${BACKEND_NAMES[backend as BackendName]} ${formatMs(ms)}/step`)
                    .join(' · ')}
                </p>
              )}
            </>
          ) : (
            <p>{phase === 'failed' ? 'The worker did not start.' : 'Measuring the available backends…'}</p>
          )}
        </div>
      </details>
      {showPicker && (
        <select
          aria-label="Backend"
          value={choice}
          disabled={busy || phase === 'starting'}
          onChange={(event) => void setBackendChoice(event.target.value as BackendChoice)}
        >
          {CHOICES.map((option) => (
            <option key={option} value={option}>
              {option === 'auto' ? 'auto (fastest)' : BACKEND_NAMES[option]}
            </option>
          ))}
        </select>
      )}
    </div>
  );
}
