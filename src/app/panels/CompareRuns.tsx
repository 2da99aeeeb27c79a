import { useEffect, useMemo, useState } from 'react';
import type { StoredRun } from '../../lib/runStore';
import { TimeSeriesChart } from '../charts/TimeSeriesChart';
import { laneColor } from '../lanes/race';
import { compareChart, comparableRuns, comparisonRow } from '../logic/compare';
import type { Marker } from '../logic/events';
import { formatInteger, formatMs, formatPercent } from '../logic/format';

const NO_MARKERS: readonly Marker[] = [];

/**
 * Saved runs side by side: test accuracy overlaid on one chart (the lab's own, with its hover readout), and their
 * milestones in a table. A saved race contributes every lane.
 */
export function CompareRuns({
  ids,
  load,
}: {
  ids: readonly string[];
  load(id: string): Promise<StoredRun | null>;
}) {
  const [loaded, setLoaded] = useState<StoredRun[]>([]);
  const key = ids.join(',');
  useEffect(() => {
    let cancelled = false;
    void Promise.all(key.split(',').filter(Boolean).map(load)).then((found) => {
      if (!cancelled) setLoaded(found.filter((run): run is StoredRun => run !== null));
    });
    return () => {
      cancelled = true;
    };
  }, [key, load]);
  const runs = useMemo(() => comparableRuns(loaded), [loaded]);
  // The lanes' colours, in order: a compared race's lanes look as they did in the race.
  const chart = useMemo(
    () => compareChart(runs.map((run, i) => ({ name: run.name, color: laneColor(i), history: run.history }))),
    [runs],
  );
  if (ids.length < 2 && runs.length < 2)
    return <p className="field__hint">Tick two or more saved runs (or one race) to compare them.</p>;
  return (
    <div className="compare" aria-label="Run comparison">
      <TimeSeriesChart
        spec={chart.spec}
        history={chart.history}
        xScale="log"
        markers={NO_MARKERS}
        height={200}
      />
      <table className="compare__table">
        <thead>
          <tr>
            <th scope="col">run</th>
            <th scope="col">memorized at</th>
            <th scope="col">grokked at</th>
            <th scope="col">wall time</th>
          </tr>
        </thead>
        <tbody>
          {runs.map(comparisonRow).map((row) => (
            <tr key={row.id}>
              <th scope="row">{row.name}</th>
              <td>{row.stepsToMemorize === null ? '—' : `step ${formatInteger(row.stepsToMemorize)}`}</td>
              <td>
                {row.stepsToGrok === null
                  ? `not yet (${row.lastTestAccuracy === null ? '—' : formatPercent(row.lastTestAccuracy)} at step ${formatInteger(row.lastStep)})`
                  : `step ${formatInteger(row.stepsToGrok)}`}
              </td>
              <td>{formatMs(row.wallTimeMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
