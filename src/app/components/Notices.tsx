import { useLab } from '../store';

/** Worker errors and other notes, each dismissible. */
export function Notices() {
  const notices = useLab((state) => state.notices);
  const dismiss = useLab((state) => state.dismissNotice);
  const lanes = useLab((state) => state.lanes);
  const failed = lanes.flatMap((lane, index) =>
    lane.phase === 'failed' ? [{ index, name: lanes.length > 1 ? lane.name : '' }] : [],
  );
  const restartWorker = useLab((state) => state.restartWorker);
  if (notices.length === 0 && failed.length === 0) return null;
  return (
    <ul className="notices" aria-label="Notices">
      {failed.map(({ index, name }) => (
        <li key={`failed-${index}`} className="notice notice--error">
          <span className="notice__text">
            {name ? `Lane ${name}: the` : 'The'} training worker is not running.
          </span>
          <button type="button" className="button" onClick={() => void restartWorker(index)}>
            Restart the worker
          </button>
        </li>
      ))}
      {notices.map((notice) => (
        <li
          key={notice.id}
          className={`notice notice--${notice.kind}`}
          role={notice.kind === 'error' ? 'alert' : 'status'}
        >
          <span className="notice__text">{notice.text}</span>
          {notice.action && (
            <button
              type="button"
              className="button"
              onClick={() => {
                notice.action?.run();
                dismiss(notice.id);
              }}
            >
              {notice.action.label}
            </button>
          )}
          <button
            type="button"
            className="notice__close"
            aria-label="Dismiss notice"
            onClick={() => dismiss(notice.id)}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
