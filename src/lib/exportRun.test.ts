import { describe, expect, it } from 'vitest';
import {
  CSV_LEADING_COLUMNS,
  eventsToCsv,
  exportRunJson,
  historyToCsv,
  importRunFile,
  importRunJson,
  MAX_IMPORT_BYTES,
  RUN_FILE_VERSION,
  runCsvFiles,
  runFileName,
} from './exportRun';
import { metricRecord, snapshot, storedRace, storedRun } from './testRuns';

function reencode(text: string, change: (file: Record<string, unknown>) => void): string {
  const file = JSON.parse(text) as Record<string, unknown>;
  change(file);
  return JSON.stringify(file);
}

function runOf(file: Record<string, unknown>): Record<string, unknown> {
  return file.run as Record<string, unknown>;
}

describe('JSON export/import', () => {
  it('round-trips a run with snapshot, events, NaN losses and typed arrays losslessly', () => {
    const run = storedRun('a', Date.UTC(2026, 10, 23), {
      snapshot: snapshot(500),
      status: 'diverged',
      history: [
        metricRecord(0),
        metricRecord(100, { trainLoss: Number.NaN, testLoss: Number.POSITIVE_INFINITY }),
      ],
      events: [
        { step: 50, regularizer: 'radial', path: 'regularizers.radial.enabled', from: false, to: true },
        {
          step: 60,
          regularizer: 'weightDecay',
          path: 'regularizers.weightDecay.mode',
          from: 'decoupled',
          to: 'coupled',
        },
      ],
    });
    const exported = exportRunJson(run);
    expect(exported.notes).toEqual([]);
    const imported = importRunJson(exported.text);
    expect(imported.ok).toBe(true);
    if (!imported.ok) return;
    expect(imported.run).toEqual(run);
    expect(imported.run.snapshot?.parameters.embedding).toBeInstanceOf(Float32Array);
    expect(Array.from(imported.run.snapshot?.parameters.embedding ?? [])).toEqual(
      Array.from(run.snapshot?.parameters.embedding ?? []),
    );
    expect(Number.isNaN(imported.run.history[1].trainLoss)).toBe(true);
  });

  it('writes a versioned file', () => {
    const file = JSON.parse(exportRunJson(storedRun('a', 0), new Date(0)).text) as Record<string, unknown>;
    expect(file).toMatchObject({
      format: 'grok-lab-run',
      version: RUN_FILE_VERSION,
      exportedAt: '1970-01-01T00:00:00.000Z',
    });
  });

  it('leaves out a diverged snapshot, and says so', () => {
    const bad = snapshot(10);
    bad.parameters.embedding.fill(Number.NaN);
    const exported = exportRunJson(storedRun('a', 0, { snapshot: bad }));
    expect(exported.notes[0]).toMatch(/NaN/);
    const imported = importRunJson(exported.text);
    expect(imported.ok && imported.run.snapshot).toBeFalsy();
    expect(imported.ok).toBe(true);
  });
});

describe('import validation', () => {
  const good = exportRunJson(storedRun('a', 1000, { snapshot: snapshot(100) })).text;

  function errorsOf(text: string): string[] {
    const result = importRunJson(text);
    expect(result.ok).toBe(false);
    return result.ok ? [] : result.errors;
  }

  it('rejects non-JSON, other formats and other versions', () => {
    expect(errorsOf('{"format":')[0]).toMatch(/not valid JSON/);
    expect(errorsOf('{"hello":1}')[0]).toMatch(/not a Grok Lab run file/);
    expect(errorsOf(reencode(good, (file) => (file.version = 2)))[0]).toMatch(
      /version 2, written by a newer lab/,
    );
    expect(errorsOf(reencode(good, (file) => (file.version = '1')))[0]).toMatch(/format version "1"/);
  });

  it('rejects files over 50 MB before parsing', async () => {
    const huge = ' '.repeat(MAX_IMPORT_BYTES + 1);
    expect(errorsOf(huge)[0]).toMatch(/50\.0 MB/);
    const result = await importRunFile(new Blob([huge]));
    expect(result.ok).toBe(false);
  });

  it('reads a good file from a Blob', async () => {
    const result = await importRunFile(new Blob([good]));
    expect(result.ok).toBe(true);
  });

  it('names NaN-filled weight arrays', () => {
    const nan = snapshot(10);
    nan.parameters.unembed.fill(Number.NaN);
    // Bypass the exporter's guard by writing the snapshot in by hand.
    const withNan = reencode(good, (file) => {
      const encoded = JSON.parse(exportRunJson(storedRun('b', 0, { snapshot: nan })).text) as Record<
        string,
        unknown
      >;
      expect(runOf(encoded).snapshot).toBeUndefined();
      const donor = JSON.parse(exportRunJson(storedRun('c', 0, { snapshot: snapshot(10) })).text) as Record<
        string,
        unknown
      >;
      const parameters = (runOf(donor).snapshot as Record<string, Record<string, unknown>>).parameters;
      const bytes = new Uint8Array(nan.parameters.unembed.buffer);
      parameters.unembed = { $typed: 'Float32Array', base64: Buffer.from(bytes).toString('base64') };
      runOf(file).snapshot = runOf(donor).snapshot;
    });
    const errors = errorsOf(withNan);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/run\.snapshot\.parameters\.unembed: all 776 values are NaN/);
  });

  it('names damaged and mismatched arrays', () => {
    const damaged = reencode(good, (file) => {
      const snap = runOf(file).snapshot as Record<string, Record<string, Record<string, unknown>>>;
      snap.parameters.embedding = { $typed: 'Float32Array', base64: 'AAAA$' };
      snap.optimizer.firstMoments.unembed = { $typed: 'Float32Array', base64: 'AAAAAAAAAAA=' };
      snap.parameters.extra = [1, 2, 3] as unknown as Record<string, unknown>;
    });
    const errors = errorsOf(damaged).join('\n');
    expect(errors).toMatch(/run\.snapshot\.parameters\.embedding: array data is not valid base64/);
    expect(errors).toMatch(
      /run\.snapshot\.optimizer\.firstMoments\.unembed: has 2 values but the parameter has 776/,
    );
    expect(errors).toMatch(/run\.snapshot\.parameters\.extra: must be a Float32Array/);
    expect(errors.split('\n')).toHaveLength(3); // a damaged array is reported once, not again as a mismatch
  });

  it('names malformed history, events, status and config with their paths', () => {
    const broken = reencode(good, (file) => {
      const run = runOf(file);
      const history = run.history as Record<string, unknown>[];
      history[0].trainLoss = 'ten';
      history[2].step = 50; // before step 100
      delete history[3].testAccuracy;
      run.events = [{ step: -1, regularizer: 'radial', path: 'x' }];
      run.status = 'sleeping';
      (run.config as Record<string, Record<string, unknown>>).task.modulus = 1000;
    });
    const errors = errorsOf(broken).join('\n');
    expect(errors).toMatch(/run\.history\[0\]\.trainLoss: must be a number/);
    expect(errors).toMatch(/run\.history\[2\]\.step: 50 comes after step 100/);
    expect(errors).toMatch(/run\.history\[3\]\.testAccuracy: must be a number/);
    expect(errors).toMatch(/run\.events\[0\]\.step/);
    expect(errors).toMatch(/run\.status: must be one of/);
    expect(errors).toMatch(/run\.config\.task\.modulus/);
  });

  it('caps a flood of problems', () => {
    const broken = reencode(good, (file) => {
      runOf(file).history = Array.from({ length: 100 }, () => ({}));
    });
    const errors = errorsOf(broken);
    expect(errors).toHaveLength(21);
    expect(errors[20]).toMatch(/more problems/);
  });
});

describe('import checks the whole file before anything is replaced (issue 17, items 6 and 8)', () => {
  const NOW = Date.UTC(2026, 10, 29, 12);

  it('refuses weights that no longer fit the model its config builds (model.dMlp edited by hand)', () => {
    const text = reencode(exportRunJson(storedRun('a', NOW, { snapshot: snapshot(100) })).text, (file) => {
      const snap = runOf(file).snapshot as Record<string, Record<string, Record<string, unknown>>>;
      snap.config.model.dMlp = 32;
    });
    const result = importRunJson(text, NOW);
    expect(result.ok).toBe(false);
    const errors = result.ok ? '' : result.errors.join('\n');
    expect(errors).toMatch(
      /run\.snapshot\.parameters\.block0\.mlp\.in: has 128 values but the model its config builds needs 256 \(8 × 32\)/,
    );
  });

  it('checks the snapshots of every lane of a race', () => {
    const broken = snapshot(100);
    broken.optimizer.secondMoments.unembed = new Float32Array(5);
    const race = storedRace(storedRun('r', NOW), storedRun('p', NOW), {
      lanes: [{ snapshot: snapshot(100) }, { snapshot: broken }],
    });
    const result = importRunJson(exportRunJson(race).text, NOW);
    expect(result.ok ? [] : result.errors).toEqual([
      'run.comparison.lanes[1].snapshot.optimizer.secondMoments.unembed: has 5 values but the parameter has 776',
    ]);
  });

  it('a file dated 1e300 imports with today’s date, and exports again', () => {
    const text = reencode(exportRunJson(storedRun('a', NOW)).text, (file) => {
      runOf(file).createdAt = 1e300;
      runOf(file).updatedAt = 1e300;
    });
    const imported = importRunJson(text, NOW);
    expect(imported.ok).toBe(true);
    if (!imported.ok) return;
    // Before: RangeError "Invalid time value" here, and in every later export of this run.
    expect(runFileName(imported.run, 'json')).toBe('run-a-2026-11-29.json');
    expect(imported.notes.join()).toMatch(/run\.createdAt \(1e\+300\) is not a date/);
    expect(importRunJson(exportRunJson(imported.run).text, NOW).ok).toBe(true);
    // A run that never went through the import still gets a file name.
    expect(runFileName({ name: 'x', createdAt: 1e300 }, 'csv')).toBe('x-undated.csv');
  });
});

describe('CSV', () => {
  it('writes one row per evaluation with fixed and per-site columns', () => {
    const history = [
      metricRecord(0),
      metricRecord(100, {
        trainLoss: Number.NaN,
        regularizers: { weightDecay: { coefficient: 1 }, radial: { penalty: 0.5 } },
      }),
    ];
    const csv = historyToCsv(history);
    const [header, first, second, end] = csv.split('\n');
    const columns = header.split(',');
    expect(columns.slice(0, CSV_LEADING_COLUMNS.length)).toEqual([
      'step',
      'trainAccuracy',
      'testAccuracy',
      'trainLoss',
      'testLoss',
      'weightNorm',
      'gradientEntropy',
      'learningRate',
      'trainingMs',
    ]);
    expect(columns.slice(CSV_LEADING_COLUMNS.length)).toEqual([
      'activationRadius.embedding',
      'activationRadius.hidden0',
      'radiusRatio.embedding',
      'radiusRatio.hidden0',
      'radialShare.embedding',
      'radialShare.hidden0',
      'regularizers.weightDecay.coefficient',
      'regularizers.radial.penalty',
    ]);
    expect(first.split(',')[0]).toBe('0');
    expect(first.split(',').at(-1)).toBe(''); // no radial penalty before it was switched on
    const cells = second.split(',');
    expect(cells[columns.indexOf('trainLoss')]).toBe('NaN');
    expect(cells[columns.indexOf('regularizers.radial.penalty')]).toBe('0.5');
    expect(Number(cells[columns.indexOf('weightNorm')])).toBe(59);
    expect(end).toBe('');
  });

  it('writes events with JSON values, quoted where needed', () => {
    const csv = eventsToCsv([
      {
        step: 5,
        regularizer: 'weightDecay',
        path: 'regularizers.weightDecay.mode',
        from: 'decoupled',
        to: 'coupled',
      },
    ]);
    expect(csv).toBe(
      'step,regularizer,path,from,to\n5,weightDecay,regularizers.weightDecay.mode,"""decoupled""","""coupled"""\n',
    );
  });

  it('makes file names from run names', () => {
    expect(runFileName({ name: 'Radial λ=0.05 (p=31)', createdAt: Date.UTC(2026, 10, 23) }, 'csv')).toBe(
      'radial-0.05-p-31-2026-11-23.csv',
    );
    expect(runFileName({ name: '', createdAt: Number.NaN }, 'json')).toBe('run-undated.json');
  });
});

describe('CSV files of a run', () => {
  const NOW = Date.UTC(2026, 10, 29);

  it('a single run: its history and its changes', () => {
    const run = storedRun('a', NOW);
    const files = runCsvFiles(run);
    expect(files.map((file) => file.filename)).toEqual([
      'run-a-2026-11-29.csv',
      'run-a-2026-11-29.events.csv',
    ]);
    expect(files[0].text).toBe(historyToCsv(run.history));
    expect(files[1].text).toBe(eventsToCsv(run.events));
    expect(runCsvFiles({ ...run, events: [] }).map((file) => file.filename)).toEqual([
      'run-a-2026-11-29.csv',
    ]);
  });

  it("a race: one file per lane, named by the lane, with that lane's history and changes", () => {
    const radial = storedRun('r', NOW, { history: [metricRecord(0), metricRecord(100)] });
    const plain = storedRun('p', NOW, { history: [metricRecord(0), metricRecord(100), metricRecord(200)] });
    const race = storedRace(radial, plain, { lanes: [{ events: radial.events }] });
    const files = runCsvFiles(race);
    expect(files.map((file) => file.filename)).toEqual([
      'race-radial-vs-plain-2026-11-29.radial.csv',
      'race-radial-vs-plain-2026-11-29.radial.events.csv',
      'race-radial-vs-plain-2026-11-29.plain.csv',
    ]);
    expect(files[0].text.trim().split('\n')).toHaveLength(3); // header + 2 records
    expect(files[2].text.trim().split('\n')).toHaveLength(4); // header + 3 records
  });
});
