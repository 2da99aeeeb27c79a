import { useEffect, useMemo, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { StoredRun } from '../../lib/runStore';
import { comparableRuns, comparisonRow, testAccuracyCurves } from '../logic/compare';
import { formatInteger, formatMs, formatPercent } from '../logic/format';

const COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9'];

/**
 * Saved runs side by side: test accuracy overlaid on one chart, and their milestones in a table. A saved race
 * contributes every lane.
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
  const curves = useMemo(() => testAccuracyCurves(runs), [runs]);
  if (ids.length < 2 && runs.length < 2)
    return <p className="field__hint">Tick two or more saved runs (or one race) to compare them.</p>;
  return (
    <div className="compare" aria-label="Run comparison">
      <ResponsiveContainer width="100%" height={220}>
        <LineChart margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="x"
            type="number"
            scale="log"
            domain={['auto', 'auto']}
            allowDataOverflow
            name="step"
          />
          <YAxis
            domain={[0, 1]}
            tickFormatter={(value: number) => `${Math.round(value * 100)}%`}
            width={44}
          />
          <Tooltip
            formatter={(value) => (typeof value === 'number' ? formatPercent(value) : String(value))}
          />
          <Legend />
          {curves.map((curve, index) => (
            <Line
              key={curve.id}
              data={curve.points}
              dataKey="y"
              name={`${curve.name} (test)`}
              stroke={COLOURS[index % COLOURS.length]}
              dot={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
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
