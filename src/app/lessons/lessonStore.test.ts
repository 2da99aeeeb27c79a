import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { builtinLesson } from '../../lessons/builtin';
import type { MetricRecord } from '../../worker/protocol';
import { connectedLab, fakeRecord, fakeSnapshot, FakeClient } from '../testing/fakeClient';
import { createLessonStore } from './lessonStore';

/** Records each fake worker was sent, so its snapshot carries its history as the real worker's does. */
const emitted = new Map<FakeClient, MetricRecord[]>();

function emit(client: FakeClient, records: MetricRecord[]) {
  emitted.set(client, [...(emitted.get(client) ?? []), ...records]);
  client.emit({ records });
}

beforeEach(() => {
  vi.spyOn(FakeClient.prototype, 'snapshot').mockImplementation(async function (this: FakeClient) {
    return fakeSnapshot(this, this.currentStep, emitted.get(this) ?? []);
  });
});

afterEach(() => {
  emitted.clear();
  vi.restoreAllMocks();
});

const lesson = (id: string) => builtinLesson(id)!;
const last = <T>(items: T[]) => items[items.length - 1];

async function lab() {
  const page = await connectedLab({ presetName: 'classic' });
  const lessons = createLessonStore({ lab: page.store });
  return { ...page, lessons };
}

describe('the lesson store', () => {
  it('builds each step, trains toward its condition and pauses there', async () => {
    const { store, clients, lessons } = await lab();
    await lessons.getState().open(lesson('what-is-grokking'));
    expect(store.getState()).toMatchObject({ presetName: 'mlp', classroom: true });
    expect(store.getState().lanes[0].draft.task.modulus).toBe(31);
    expect(lessons.getState()).toMatchObject({ index: 0, stage: 'ready' });
    const worker = last(clients);
    expect(worker.methods()).not.toContain('start');

    await lessons.getState().move('next');
    expect(lessons.getState()).toMatchObject({ index: 1, stage: 'waiting' });
    expect(worker.methods()).toContain('start');
    emit(worker, [fakeRecord(100, { trainAccuracy: 0.6 })]);
    expect(lessons.getState().stage).toBe('waiting');
    emit(worker, [fakeRecord(200, { trainAccuracy: 1 })]);
    expect(lessons.getState()).toMatchObject({ stage: 'met', metAt: 200 });
    await vi.waitFor(() => expect(last(worker.methods())).toBe('pause'));
  });

  it('a step back reopens that step’s runs at the step they had, not trained again', async () => {
    const { store, clients, lessons } = await lab();
    await lessons.getState().open(lesson('what-is-grokking'), 1);
    emit(last(clients), [fakeRecord(200, { trainAccuracy: 1 })]);
    await lessons.getState().move('next');
    emit(last(clients), [fakeRecord(600, { trainAccuracy: 1, testAccuracy: 0.5 })]);
    await lessons.getState().move('previous');
    expect(lessons.getState()).toMatchObject({ index: 1, stage: 'met', metAt: 200 });
    const worker = last(clients);
    expect(worker.methods()).toContain('restore');
    expect(worker.methods()).not.toContain('start');
    expect(store.getState().lanes[0].step).toBe(200);
    // And forward again: step 3's run as it was left, at step 600.
    await lessons.getState().move('next');
    expect(store.getState().lanes[0].step).toBe(600);
  });

  it('a link to a step that goes on with an earlier run builds that run with the changes between', async () => {
    const { store, lessons } = await lab();
    await lessons.getState().open(lesson('radial-penalty'), 2);
    const draft = store.getState().lanes[0].draft;
    expect(store.getState().presetName).toBe('radialRescue');
    expect(draft.regularizers.radial.enabled).toBe(true);
    expect(draft.regularizers.weightDecay.coefficient).toBe(0.1);
    expect(lessons.getState()).toMatchObject({ index: 2, stage: 'waiting' });
  });

  it('a race step races the preset’s lanes', async () => {
    const { store, lessons } = await lab();
    await lessons.getState().open(lesson('why-weight-decay'));
    expect(store.getState().lanes.map((l) => l.name)).toEqual(['wd 1', 'wd 0.1']);
    expect(store.getState().lanes[1].draft.regularizers.weightDecay.coefficient).toBe(0.1);
  });

  it('leaving returns the lab as it was', async () => {
    const { store, lessons } = await lab();
    const before = store.getState();
    await lessons.getState().open(lesson('transformer-groks'), 1);
    expect(store.getState().lanes[0].draft.model.kind).toBe('transformer');
    await lessons.getState().leave();
    const after = store.getState();
    expect(lessons.getState().lesson).toBeNull();
    expect(after).toMatchObject({ presetName: 'classic', classroom: false, title: '' });
    expect(after.lanes.map((lane) => lane.draft)).toEqual(before.lanes.map((lane) => lane.draft));
    expect(after.lanes[0].step).toBe(0);
  });

  it('leaving a lab that had trained reopens its run at its step', async () => {
    const { store, clients, lessons } = await lab();
    await store.getState().start();
    emit(clients[0], [fakeRecord(300)]);
    await lessons.getState().open(lesson('what-is-grokking'));
    await lessons.getState().leave();
    expect(store.getState().lanes[0].step).toBe(300);
    expect(store.getState().lanes[0].status).not.toBe('running');
  });

  it('a malformed lesson file opens nothing and names the step and field', async () => {
    const { lessons } = await lab();
    const file = JSON.parse(JSON.stringify(lesson('what-is-grokking')));
    file.steps[1].do = { kind: 'run', until: { kind: 'step', step: -5 } };
    expect(lessons.getState().importText(JSON.stringify(file))).toBeNull();
    expect(lessons.getState().problems).toEqual([
      expect.stringMatching(/^step 2 “Memorize”: do\.until\.step: /),
    ]);
    expect(lessons.getState().lessons).toHaveLength(4);
  });
});
