import { useId, useState, type ChangeEvent } from 'react';
import { downloadBlob, exportRunJson, importRunFile, runCsvFiles, runFileName } from '../../lib/exportRun';
import { KEEP_AFTER_PRUNE, SAVE_WHILE_RUNNING_MS } from '../hooks/useAutosave';
import { useSavedRuns } from '../hooks/useSavedRuns';
import type { StoredRun } from '../../lib/runStore';
import { errorText, formatInteger, formatPercent } from '../logic/format';
import { useLab } from '../store';
import { CompareRuns } from './CompareRuns';

/** Save the run in the browser, reopen saved runs, export JSON/CSV, import a run file. */
export function RunsPanel() {
  const captureRun = useLab((state) => state.captureRun);
  const restoreRun = useLab((state) => state.restoreRun);
  const notify = useLab((state) => state.notify);
  // A finished race has released its workers and can still be saved and exported.
  const ready = useLab((state) =>
    state.lanes.every((lane) => !lane.busy && lane.phase !== 'starting' && lane.phase !== 'disconnected'),
  );
  const hasHistory = useLab((state) => state.lanes.some((lane) => lane.history.length > 0));
  const running = useLab((state) => state.lanes.some((lane) => lane.status === 'running'));
  const saved = useSavedRuns();
  const [working, setWorking] = useState(false);
  const [compareIds, setCompareIds] = useState<string[]>([]);
  const toggleCompare = (id: string) =>
    setCompareIds((ids) => (ids.includes(id) ? ids.filter((other) => other !== id) : [...ids, id]));
  const comparing = compareIds.filter((id) => saved.runs.some((run) => run.id === id));
  const fileId = useId();

  /**
   * Opens a saved record in place of the lanes on screen: a single run as one lane, a race with every lane. What
   * was on screen, if it had progress, is kept in the runs first (the store says so, with a way back).
   */
  const reopen = async (run: StoredRun) => {
    await restoreRun(run);
    await saved.refresh();
  };

  const act = async (what: string, task: () => Promise<void>) => {
    setWorking(true);
    try {
      await task();
    } catch (error) {
      notify('error', `${what} failed: ${errorText(error)}`);
    } finally {
      setWorking(false);
    }
  };

  const save = () =>
    act('Saving', async () => {
      const run = await captureRun(true);
      if (run) await saved.save(run);
    });

  const exportJson = () =>
    act('Export', async () => {
      const run = await captureRun(true);
      if (!run) return;
      const { text, notes } = exportRunJson(run);
      downloadBlob(new Blob([text], { type: 'application/json' }), runFileName(run, 'json'));
      for (const note of notes) notify('info', note);
    });

  const exportCsv = () =>
    act('Export', async () => {
      const run = await captureRun(false);
      if (!run) return;
      for (const { filename, text } of runCsvFiles(run))
        downloadBlob(new Blob([text], { type: 'text/csv' }), filename);
    });

  const importFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    void act('Import', async () => {
      const result = await importRunFile(file);
      if (!result.ok) {
        notify('error', `“${file.name}” is not a Grok Lab run: ${result.errors.join('; ')}`);
        return;
      }
      await reopen(result.run);
    });
  };

  const open = (id: string) =>
    act('Opening', async () => {
      const run = await saved.load(id);
      if (run) await reopen(run);
      else notify('warning', 'That run is no longer saved.');
    });

  const prune = () =>
    act('Deleting old runs', async () => {
      const count = await saved.prune(KEEP_AFTER_PRUNE);
      notify('info', `Deleted ${count} old run${count === 1 ? '' : 's'}.`);
    });

  const busy = working || !ready || running;
  // Opening another run may replace a running one: the store pauses it and keeps it in the runs first.
  const opening = working || !ready;
  return (
    <section className="panel runs-panel" aria-labelledby="runs-title">
      <h2 id="runs-title" className="panel__title">
        Runs
      </h2>
      <div className="runs-panel__actions">
        <button
          type="button"
          className="button"
          onClick={save}
          disabled={busy || !hasHistory || Boolean(saved.error)}
        >
          Save run
        </button>
        <button type="button" className="button" onClick={exportJson} disabled={busy || !hasHistory}>
          Export JSON
        </button>
        <button type="button" className="button" onClick={exportCsv} disabled={working || !hasHistory}>
          Export CSV
        </button>
        <label className={`button ${opening ? 'button--disabled' : ''}`} htmlFor={fileId}>
          Import…
        </label>
        <input
          id={fileId}
          className="sr-only"
          type="file"
          accept=".json,application/json"
          disabled={opening}
          onChange={importFile}
        />
      </div>
      {saved.error ? (
        <p className="field__hint">Runs cannot be saved in this browser: {saved.error}</p>
      ) : saved.runs.length === 0 ? (
        <p className="field__hint">
          Runs are saved here when training stops and every {SAVE_WHILE_RUNNING_MS / 1000} s while it trains
          (its weights every second).
        </p>
      ) : (
        <ul className="runs-panel__list">
          {saved.runs.length > KEEP_AFTER_PRUNE && (
            <li>
              <button type="button" className="button button--small" onClick={prune} disabled={working}>
                Delete old runs (keep the {KEEP_AFTER_PRUNE} newest)
              </button>
            </li>
          )}
          {saved.runs.map((run) => (
            <li key={run.id}>
              <input
                type="checkbox"
                checked={comparing.includes(run.id)}
                onChange={() => toggleCompare(run.id)}
                aria-label={`Compare ${run.name}`}
              />
              <span className="runs-panel__name" title={run.name}>
                {run.name}
              </span>
              <span className="runs-panel__meta">
                step {formatInteger(run.steps)}
                {run.comparison
                  ? ` · race of ${run.comparison.lanes.join(', ')}${run.comparison.winner ? `, won by ${run.comparison.winner}` : ''}`
                  : run.lastTestAccuracy !== null && ` · test ${formatPercent(run.lastTestAccuracy)}`}
              </span>
              <span className="runs-panel__buttons">
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => open(run.id)}
                  disabled={opening}
                  aria-label={`Open ${run.name}`}
                >
                  Open
                </button>
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => void act('Deleting', () => saved.remove(run.id))}
                  disabled={working}
                  aria-label={`Delete ${run.name}`}
                >
                  Delete
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {comparing.length > 0 && <CompareRuns ids={comparing} load={saved.load} />}
    </section>
  );
}
