import { useLab } from '../store';

/**
 * In a race, which lane the settings below edit (regularizers and optimizer: that lane only; task, model, seed and
 * run settings: every lane, so the race stays fair). Nothing for a single run.
 */
export function LaneTabs() {
  const lanes = useLab((state) => state.lanes);
  const focus = useLab((state) => state.focus);
  const setFocus = useLab((state) => state.setFocus);
  if (lanes.length < 2) return null;
  return (
    <section className="panel lane-tabs" aria-labelledby="lane-tabs-title">
      <h2 id="lane-tabs-title" className="panel__title">
        Settings below edit lane
      </h2>
      <div className="lane-tabs__buttons" role="radiogroup" aria-label="Lane the settings edit">
        {lanes.map((lane, index) => (
          <button
            key={index}
            type="button"
            role="radio"
            aria-checked={index === focus}
            className={`button lane-tabs__button ${index === focus ? 'lane-tabs__button--on' : ''}`}
            style={{ borderColor: lane.color }}
            onClick={() => setFocus(index)}
          >
            {lane.name}
          </button>
        ))}
      </div>
      <p className="field__hint">
        Regularizers and optimizer change in lane {lanes[focus]?.name} only; task, model, seed and run
        settings change in every lane (a fair race).
      </p>
    </section>
  );
}
