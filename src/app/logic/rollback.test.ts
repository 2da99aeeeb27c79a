import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../engine/config';
import type { ConfigEvent } from '../../worker/protocol';
import { fakeRecord } from '../testing/fakeClient';
import { addEvents, EMPTY_EVENT_LOG } from './events';
import { rollbackFailure, rolledBack } from './rollback';

const radialOn: ConfigEvent = {
  step: 100,
  regularizer: 'radial',
  path: 'regularizers.radial.enabled',
  from: false,
  to: true,
};
const grokfastOn: ConfigEvent = {
  step: 300,
  regularizer: 'grokfast',
  path: 'regularizers.grokfast.enabled',
  from: false,
  to: true,
};
const lrHalved: ConfigEvent = { step: 200, regularizer: 'optimizer', path: 'optimizer.lr', from: 1, to: 0.5 };

describe('rolledBack', () => {
  it('rewinds history and events to the rollback point, adds the lr change and pauses', () => {
    const run = {
      history: [0, 100, 200, 300].map((step) => fakeRecord(step)),
      eventLog: addEvents(EMPTY_EVENT_LOG, [radialOn, grokfastOn], 'stream'),
    };
    const config = { ...DEFAULT_CONFIG, optimizer: { ...DEFAULT_CONFIG.optimizer, lr: 0.5 } };
    const next = rolledBack(run, { ok: true, step: 200, config, events: [lrHalved] });
    expect(next.step).toBe(200);
    expect(next.status).toBe('paused');
    expect(next.config.optimizer.lr).toBe(0.5);
    expect(next.history.map((record) => record.step)).toEqual([0, 100, 200]);
    expect(next.eventLog.events).toEqual([radialOn, lrHalved]);
    // The same event echoed by the metric stream afterwards is recognised, not added twice.
    expect(addEvents(next.eventLog, [lrHalved], 'stream').events).toEqual([radialOn, lrHalved]);
  });

  it('says why a rollback was refused', () => {
    expect(
      rollbackFailure([{ path: 'toStep', message: 'no rollback point at or before step 40 (kept: none)' }]),
    ).toBe('Cannot roll back: no rollback point at or before step 40 (kept: none)');
  });
});
