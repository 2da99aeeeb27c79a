import { describe, expect, it } from 'vitest';
import type { ConfigEvent } from '../../worker/protocol';
import { addEvents, describeEvent, EMPTY_EVENT_LOG, eventMarkers, rewindEvents } from './events';

const event = (step: number, path: string, from: unknown, to: unknown): ConfigEvent => ({
  step,
  path,
  from,
  to,
  regularizer: path.split('.')[0] === 'regularizers' ? path.split('.')[1] : path.split('.')[0],
});

describe('describeEvent', () => {
  it('names regularizer toggles and params by their specs', () => {
    expect(describeEvent(event(5, 'regularizers.radial.enabled', false, true))).toBe('Radial penalty on');
    expect(describeEvent(event(5, 'regularizers.radial.lambda', 0.01, 0.05))).toBe(
      'Radial penalty λ 0.01 → 0.05',
    );
    expect(describeEvent(event(5, 'regularizers.weightDecay.enabled', true, false))).toBe('Weight decay off');
  });

  it('names other live fields', () => {
    expect(describeEvent(event(5, 'optimizer.lr', 0.001, 0.003))).toBe('Learning rate 0.001 → 0.003');
    expect(describeEvent(event(5, 'regularizers.future.alpha', 1, 2))).toBe('future alpha 1 → 2');
  });
});

describe('eventMarkers', () => {
  it('groups changes at one step and keeps steps sorted', () => {
    const markers = eventMarkers([
      event(200, 'optimizer.lr', 0.001, 0.002),
      event(100, 'regularizers.radial.enabled', false, true),
      event(100, 'regularizers.radial.lambda', 0.01, 0.02),
    ]);
    expect(markers).toEqual([
      { step: 100, label: 'Radial penalty on; Radial penalty λ 0.01 → 0.02', kind: 'event' },
      { step: 200, label: 'Learning rate 0.001 → 0.002', kind: 'event' },
    ]);
  });

  it('collapses a slider drag to its net change and drops changes that cancel', () => {
    const markers = eventMarkers([
      event(50, 'regularizers.radial.lambda', 0.01, 0.02),
      event(50, 'regularizers.radial.lambda', 0.02, 0.04),
      event(60, 'regularizers.radial.enabled', false, true),
      event(60, 'regularizers.radial.enabled', true, false),
    ]);
    expect(markers).toEqual([{ step: 50, label: 'Radial penalty λ 0.01 → 0.04', kind: 'event' }]);
  });
});

describe('addEvents', () => {
  const on = event(10, 'regularizers.radial.enabled', false, true);
  const off = event(10, 'regularizers.radial.enabled', true, false);

  it('keeps one copy of an event reported by update() and by the stream, in either order', () => {
    let log = addEvents(EMPTY_EVENT_LOG, [on], 'update');
    log = addEvents(log, [on], 'stream');
    expect(log.events).toEqual([on]);
    let reversed = addEvents(EMPTY_EVENT_LOG, [on], 'stream');
    reversed = addEvents(reversed, [on], 'update');
    expect(reversed.events).toEqual([on]);
    expect(reversed.unmatched).toEqual({ update: [], stream: [] });
  });

  it('keeps genuine repeats', () => {
    let log = addEvents(EMPTY_EVENT_LOG, [on], 'update');
    log = addEvents(log, [off], 'update');
    log = addEvents(log, [on], 'update');
    log = addEvents(log, [on, off, on], 'stream');
    expect(log.events).toEqual([on, off, on]);
  });
});

describe('rewindEvents', () => {
  it('drops events after the step the run went back to', () => {
    const early = event(10, 'optimizer.lr', 0.001, 0.002);
    const late = event(90, 'optimizer.lr', 0.002, 0.003);
    let log = addEvents(EMPTY_EVENT_LOG, [early, late], 'update');
    log = rewindEvents(log, 50);
    expect(log.events).toEqual([early]);
    expect(log.unmatched.update).toHaveLength(1);
  });
});
