// @vitest-environment jsdom
import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { builtinLesson } from '../../lessons/builtin';
import { parseLessonText } from '../../lessons/schema';
import { LabProvider } from '../store';
import { connectedLab } from '../testing/fakeClient';
import { installJsdomLab } from '../testing/jsdomLab';
import { LessonEditor } from './LessonEditor';
import { createLessonStore, LessonProvider } from './lessonStore';

installJsdomLab();

async function editor() {
  const { store } = await connectedLab({ presetName: 'mlp' });
  const lessons = createLessonStore({ lab: store });
  act(() => lessons.getState().edit(builtinLesson('transformer-groks')!));
  render(
    <LabProvider store={store}>
      <LessonProvider store={lessons}>
        <LessonEditor />
      </LessonProvider>
    </LabProvider>,
  );
  return { store, lessons };
}

/** Clicks Export file and returns the text of the file it downloads. */
async function exported(): Promise<string> {
  let blob: Blob | null = null;
  vi.stubGlobal('URL', {
    ...URL,
    createObjectURL: (value: Blob) => {
      blob = value;
      return 'blob:lesson';
    },
    revokeObjectURL: () => undefined,
  });
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
  fireEvent.click(screen.getByRole('button', { name: 'Export file' }));
  expect(blob).not.toBeNull();
  return (blob as unknown as Blob).text();
}

describe('the lesson editor', () => {
  it('reorders steps and edits their text', async () => {
    const { lessons } = await editor();
    fireEvent.click(screen.getByRole('button', { name: 'Move step 2 up' }));
    expect(lessons.getState().draft!.steps.map((step) => step.title)).toEqual([
      'Memorize',
      'A small transformer',
      'The waves appear',
      'Grokked',
    ]);
    fireEvent.change(screen.getByLabelText('Text of step 4'), { target: { value: 'Ninety-nine percent.' } });
    fireEvent.change(screen.getByLabelText('Title of step 4'), { target: { value: 'Done' } });
    fireEvent.change(screen.getByLabelText('Question of step 4'), { target: { value: 'Why stripes?' } });
    fireEvent.change(screen.getByLabelText('Answer of step 4'), {
      target: { value: 'Because of the rule.' },
    });
    expect(lessons.getState().draft!.steps[3]).toMatchObject({
      title: 'Done',
      text: 'Ninety-nine percent.',
      question: { ask: 'Why stripes?', answer: 'Because of the rule.' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Remove step 1' }));
    expect(lessons.getState().draft!.steps).toHaveLength(3);
  });

  it('saves the current setup as a step: the preset and the settings changed from it', async () => {
    const { store, lessons } = await editor();
    act(() => store.getState().setField('regularizers.weightDecay.coefficient', 0.3));
    fireEvent.click(screen.getByRole('button', { name: 'Save current setup as a step' }));
    const step = lessons.getState().draft!.steps[4];
    expect(step).toMatchObject({
      title: 'Step 5',
      view: 'lab',
      do: { kind: 'click' },
      setup: {
        kind: 'config',
        preset: 'mlp',
        config: { regularizers: { weightDecay: { coefficient: 0.3 } } },
      },
    });
    expect(screen.getByRole('listitem', { name: 'Step 5: Step 5' }).textContent).toContain(
      'A run of a saved setup based on the “Fast MLP” preset.',
    );
  });

  it('exports a file that imports back equal, with the saved setup in it', async () => {
    const { lessons } = await editor();
    fireEvent.click(screen.getByRole('button', { name: 'Save current setup as a step' }));
    fireEvent.change(screen.getByLabelText('Lesson title'), { target: { value: 'Our transformer' } });
    fireEvent.change(screen.getByLabelText('Lesson id (file name)'), {
      target: { value: 'our-transformer' },
    });
    const text = await exported();
    const back = lessons.getState().importText(text);
    expect(back).toEqual(lessons.getState().draft);
    expect(lessons.getState().lessons.map((lesson) => lesson.id)).toContain('our-transformer');
    expect(parseLessonText(text)).toEqual({ ok: true, lesson: back });
  });

  it('refuses to export a lesson with an empty field, naming the step and field', async () => {
    await editor();
    const download = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    fireEvent.change(screen.getByLabelText('Text of step 2'), { target: { value: '  ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Export file' }));
    expect(screen.getByRole('alert').textContent).toBe(
      'This lesson cannot be exported yet:step 2 “Memorize”: text: the text is empty',
    );
    expect(download).not.toHaveBeenCalled();
  });
});
