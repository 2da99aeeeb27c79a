import { memo, useMemo, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { MetricRecord } from '../../worker/protocol';
import type { Scale } from '../logic/chartLayout';
import type { ChartSpec } from '../logic/charts';
import { crosshairKeyMove, crosshairReadout, nearestIndex } from '../logic/crosshair';

interface CrosshairProps {
  spec: ChartSpec;
  history: readonly MetricRecord[];
  /** The steps it can stand on (crosshairSteps of the drawn series), ascending. */
  steps: readonly number[];
  x: Scale;
  y: Scale;
  /** The plot area inside the chart's SVG, px. */
  plot: { left: number; top: number; width: number; height: number };
  large: boolean;
}

/**
 * The chart's hover crosshair: a vertical line at the drawn step nearest the pointer, a dot on each series and a
 * readout of every series' value there. Its state lives here, not in the chart or the store, so moving the pointer
 * redraws this overlay alone, never the chart's lines or the other charts. The layer under the plot takes the
 * pointer (mouse, pen, touch) and the keyboard: focus it, ←/→ step, Home/End, Esc leaves.
 */
function CrosshairImpl({ spec, history, steps, x, y, plot, large }: CrosshairProps) {
  // The step it stands on (null: hidden) — a step, not an index, so it stays on its step while the run streams —
  // and what put it there: the pointer leaving hides what the pointer set, not what the keys set (a layout shift
  // under a resting mouse also counts as leaving).
  const [place, setPlace] = useState<{ step: number; by: 'pointer' | 'keys' } | null>(null);
  const step = place?.step ?? null;
  const index = step === null ? -1 : nearestIndex(steps, step);
  const at = index < 0 ? null : steps[index];
  const readout = useMemo(
    () => (at === null ? null : crosshairReadout(spec, history, at)),
    [spec, history, at],
  );

  const follow = (event: PointerEvent<HTMLDivElement>) => {
    const offset = event.clientX - event.currentTarget.getBoundingClientRect().left;
    const nearest = nearestIndex(steps, plot.left + offset, x);
    if (nearest < 0) return;
    const under = steps[nearest];
    setPlace((current) =>
      current?.step === under && current.by === 'pointer' ? current : { step: under, by: 'pointer' },
    );
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const move = crosshairKeyMove(event.key, index < 0 ? null : index, steps.length);
    if (move === null) return;
    event.preventDefault();
    setPlace(move === 'leave' ? null : { step: steps[move], by: 'keys' });
  };

  const lineX = at === null ? null : x(at);
  // The readout sits beside the line, on the side with more room.
  const flip = lineX !== null && lineX > plot.left + plot.width / 2;
  return (
    <>
      <div
        className="chart__hover"
        style={{ left: plot.left, top: plot.top, width: plot.width, height: plot.height }}
        tabIndex={0}
        role="group"
        aria-label={`${spec.title}: values at each step (← → to move, Esc to leave)`}
        onPointerMove={follow}
        onPointerDown={follow}
        onPointerLeave={(event) => {
          // A finger lifted leaves the readout up until the next touch elsewhere (or focus moves on).
          if (event.pointerType !== 'touch')
            setPlace((current) => (current?.by === 'pointer' ? null : current));
        }}
        onFocus={() =>
          setPlace(
            (current) => current ?? (steps.length > 0 ? { step: steps[steps.length - 1], by: 'keys' } : null),
          )
        }
        onBlur={() => setPlace(null)}
        onKeyDown={onKeyDown}
      />
      {readout && lineX !== null && Number.isFinite(lineX) && (
        <div className="chart__crosshair">
          <div
            className="chart__crosshair-line"
            style={{ left: lineX, top: plot.top, height: plot.height }}
          />
          {readout.rows.map((row) => {
            const dotY = row.value === null ? Number.NaN : y(row.value);
            return Number.isFinite(dotY) ? (
              <span
                key={row.key}
                className="chart__crosshair-dot"
                style={{ left: lineX, top: dotY, background: row.color }}
              />
            ) : null;
          })}
          <div
            className={`chart__readout ${large ? 'chart__readout--large' : ''}`}
            role="status"
            style={
              flip
                ? { left: lineX - 8, top: plot.top, transform: 'translateX(-100%)' }
                : { left: lineX + 8, top: plot.top }
            }
          >
            <div className="chart__readout-step">{readout.title}</div>
            <ul>
              {readout.rows.map((row) => (
                <li key={row.key}>
                  <span className="chart__swatch" style={{ background: row.color }} aria-hidden="true" />
                  <span className="chart__readout-label">{row.label}</span>
                  <span className="chart__readout-value">{row.text}</span>
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}
    </>
  );
}

export const Crosshair = memo(CrosshairImpl);
