/**
 * The lane reducer: every case runs on an experiment of one lane and of two, acting on the last lane; the other
 * lane must come out untouched (the same object), and the acted-on lane the same as a single run's.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, resolveConfig, type Config } from '../../engine/config';
import type { ClientBatch } from '../../worker/client';
import type { InitResult, RunSnapshot } from '../../worker/protocol';
import { fakeRecord, FAKE_SITES } from '../testing/fakeClient';
import { newLane, reduceLanes, type Lane, type LaneAction } from './lane';
import { laneDone, summarize } from './summary';

const config = (patch: Record<string, unknown> = {}): Config => {
  const result = resolveConfig(patch, DEFAULT_CONFIG);
  if (!result.ok) throw new Error('bad config');
  return result.config;
};

function built(cfg = config(), step = 0): Extract<InitResult, { ok: true }> {
  return {
    ok: true,
    backend: { backend: 'wasm', choice: 'auto', skipped: [], measuredMsPerStep: {}, summary: 'WASM' },
    config: cfg,
    step,
    sites: FAKE_SITES,
    datasetTitle: '(a + b) mod 5',
    gridSize: null,
    grid: null,
    isTrain: new Uint8Array(0),
    tokenNames: [],
    operandVocabulary: 5,
  };
}

function batch(overrides: Partial<ClientBatch>): ClientBatch {
  return {
    status: 'running',
    step: 0,
    stepsPerSecond: 30,
    backend: 'wasm',
    records: [],
    events: [],
    predictions: null,
    embedding: null,
    message: null,
    rewoundTo: null,
    ...overrides,
  };
}

/** An experiment of `count` lanes, every one built. */
function experiment(count: number): Lane[] {
  let lanes = Array.from({ length: count }, (_, i) =>
    newLane({ name: `lane${i}`, difference: [], color: '#000' }, config()),
  );
  for (let i = 0; i < count; i++)
    lanes = reduceLanes(lanes, i, { type: 'built', result: built(), id: 'x', createdAt: 1 });
  return lanes;
}

describe.each([1, 2])('lane reducer, experiment of %i lane(s)', (count) => {
  const target = count - 1;
  const apply = (lanes: Lane[], ...actions: LaneAction[]) =>
    actions.reduce((current, action) => reduceLanes(current, target, action), lanes);
  const others = (before: Lane[], after: Lane[]) => {
    for (let i = 0; i < before.length; i++) if (i !== target) expect(after[i]).toBe(before[i]);
  };

  it('init: a built run is ready at its step with the worker’s config and nothing recorded', () => {
    const before = experiment(count);
    const lane = apply(before, {
      type: 'built',
      result: built(config({ seed: 3 }), 0),
      id: 'r',
      createdAt: 5,
    })[target];
    expect(lane).toMatchObject({ phase: 'ready', busy: false, step: 0, status: 'idle', history: [] });
    expect(lane.config.seed).toBe(3);
    expect(lane.run).toMatchObject({ id: 'r', createdAt: 5, datasetTitle: '(a + b) mod 5' });
    expect(lane.pendingReset).toEqual(['seed']);
  });

  it('batch: appends records, tracks status/step/speed, milestones and scalars; other lanes untouched', () => {
    const before = experiment(count);
    const after = apply(
      before,
      {
        type: 'batch',
        batch: batch({
          step: 410,
          records: [
            fakeRecord(0, { trainAccuracy: 0.1, testAccuracy: 0.01 }),
            fakeRecord(410, {
              trainAccuracy: 1,
              testAccuracy: 0.05,
              regularizers: { radial: { penalty: 1 } },
            }),
          ],
        }),
        canRollBack: false,
      },
      {
        type: 'batch',
        batch: batch({
          step: 900,
          status: 'paused',
          records: [fakeRecord(900, { trainAccuracy: 1, testAccuracy: 1 })],
        }),
        canRollBack: false,
      },
    );
    const lane = after[target];
    expect(lane.history.map((record) => record.step)).toEqual([0, 410, 900]);
    expect([lane.status, lane.step, lane.stepsPerSecond]).toEqual(['paused', 900, 30]);
    expect(lane.milestones).toEqual({ memorized: 410, grokked: 900, collapsed: null });
    expect(lane.scalarKeys).toEqual({ radial: ['penalty'] });
    others(before, after);
  });

  it('batch with rewoundTo: drops what came after, recomputes milestones', () => {
    const before = apply(experiment(count), {
      type: 'batch',
      batch: batch({
        step: 30,
        records: [fakeRecord(10), fakeRecord(20, { testAccuracy: 1, trainAccuracy: 1 }), fakeRecord(30)],
      }),
      canRollBack: false,
    });
    const lane = apply(before, {
      type: 'batch',
      batch: batch({ rewoundTo: 15, records: [fakeRecord(16)] }),
      canRollBack: false,
    })[target];
    expect(lane.history.map((record) => record.step)).toEqual([10, 16]);
    expect(lane.milestones.grokked).toBeNull();
  });

  it('update: the applied config and its events; a new grok threshold re-reads the history', () => {
    const before = apply(experiment(count), {
      type: 'batch',
      batch: batch({ records: [fakeRecord(5000, { trainAccuracy: 1, testAccuracy: 0.96 })] }),
      canRollBack: false,
    });
    const event = {
      step: 5000,
      regularizer: 'training',
      path: 'training.grokThreshold',
      from: 0.99,
      to: 0.95,
    };
    const after = apply(before, {
      type: 'updated',
      config: config({ training: { grokThreshold: 0.95 } }),
      events: [event],
    });
    expect(after[target].eventLog.events).toEqual([event]);
    expect(after[target].milestones.grokked).toBe(5000);
    others(before, after);
  });

  it('rollback: back to the rollback step, paused, lr halved in config and draft, later records dropped', () => {
    const before = apply(experiment(count), {
      type: 'batch',
      batch: batch({
        status: 'diverged',
        step: 300,
        records: [fakeRecord(100), fakeRecord(200), fakeRecord(300)],
      }),
      canRollBack: true,
    });
    expect(before[target].canRollBack).toBe(true);
    const lowered = config({ optimizer: { lr: 0.0005 } });
    const event = { step: 200, regularizer: 'optimizer', path: 'optimizer.lr', from: 0.001, to: 0.0005 };
    const lane = apply(before, {
      type: 'rolledBack',
      result: { ok: true, step: 200, config: lowered, events: [event] },
    })[target];
    expect(lane.history.map((record) => record.step)).toEqual([100, 200]);
    expect([lane.step, lane.status, lane.canRollBack]).toEqual([200, 'paused', false]);
    expect([lane.config.optimizer.lr, lane.draft.optimizer.lr]).toEqual([0.0005, 0.0005]);
    expect(lane.eventLog.events).toEqual([event]);
  });

  it('restored: a saved run resumes paused with its snapshot’s history and events', () => {
    const history = [fakeRecord(10), fakeRecord(20, { trainAccuracy: 1 })];
    const snapshot = { version: 1, step: 20, history, events: [] } as unknown as RunSnapshot;
    const lane = apply(experiment(count), {
      type: 'restored',
      result: built(config(), 20),
      id: 'saved',
      createdAt: 9,
      snapshot,
      startConfig: config(),
    })[target];
    expect([lane.status, lane.step, lane.phase]).toEqual(['paused', 20, 'ready']);
    expect(lane.history).toEqual(history);
    expect(lane.milestones.memorized).toBe(20);
    expect(lane.run?.id).toBe('saved');
  });

  it('worker gone: failed shows an error; closed keeps the history (a finished race lane)', () => {
    const before = apply(experiment(count), {
      type: 'batch',
      batch: batch({ status: 'finished', step: 20, records: [fakeRecord(20)] }),
      canRollBack: false,
    });
    const closed = apply(before, { type: 'workerGone', phase: 'closed' })[target];
    expect([closed.phase, closed.status, closed.history.length]).toEqual(['closed', 'finished', 1]);
    expect(laneDone(closed)).toBe(true);
    const failed = apply(before, { type: 'workerGone', phase: 'failed', message: 'gone' })[target];
    expect([failed.phase, failed.status, failed.message]).toEqual(['failed', 'error', 'gone']);
  });

  it('the summary of the lanes: the furthest step, the summed speed, running while any lane runs', () => {
    const lanes = apply(experiment(count), {
      type: 'batch',
      batch: batch({ step: 700, records: [fakeRecord(700)] }),
      canRollBack: false,
    });
    expect(summarize(lanes)).toMatchObject({
      phase: 'ready',
      status: 'running',
      step: 700,
      stepsPerSecond: 30,
    });
  });
});
