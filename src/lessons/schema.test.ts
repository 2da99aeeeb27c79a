import { describe, expect, it } from 'vitest';
import { BUILTIN_LESSON_FILES, BUILTIN_LESSONS } from './builtin';
import { lessonFileText, parseLesson, parseLessonText, type Lesson } from './schema';

const copy = (lesson: Lesson): Lesson => JSON.parse(JSON.stringify(lesson)) as Lesson;

describe('lesson files', () => {
  it('every built-in lesson parses, with distinct ids', () => {
    for (const file of BUILTIN_LESSON_FILES) {
      const result = parseLesson(file);
      expect(result.ok ? [] : result.problems).toEqual([]);
    }
    expect(new Set(BUILTIN_LESSONS.map((lesson) => lesson.id)).size).toBe(4);
  });

  it('round-trips through its file text unchanged', () => {
    for (const lesson of BUILTIN_LESSONS) {
      const back = parseLessonText(lessonFileText(lesson));
      expect(back).toEqual({ ok: true, lesson });
    }
  });

  it('names the step (number and title) and the field of a bad value', () => {
    const lesson = copy(BUILTIN_LESSONS[0]);
    (lesson.steps[2].setup as { kind: string; preset?: string }) = { kind: 'preset', preset: 'fastest' };
    const result = parseLesson(lesson);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual([
      expect.stringMatching(/^step 3 “The plateau, then the jump”: setup\.preset: unknown preset “fastest”/),
    ]);
  });

  it('names a missing field and an unknown condition', () => {
    const lesson = copy(BUILTIN_LESSONS[1]) as unknown as { steps: Record<string, unknown>[] };
    delete lesson.steps[0].title;
    lesson.steps[1].do = { kind: 'run', until: { kind: 'forever' } };
    const result = parseLesson(lesson);
    expect(!result.ok && result.problems.join('\n')).toMatch(/^step 1: title: /m);
    expect(!result.ok && result.problems.join('\n')).toMatch(
      /^step 2 “Weak decay waits”: do\.until\.kind: /m,
    );
  });

  it('checks the settings a step changes against the config schema', () => {
    const lesson = copy(BUILTIN_LESSONS[2]);
    lesson.steps[2].setup = { kind: 'continue', set: { 'regularizers.radial.lamda': 0.01 } };
    lesson.steps[0].setup = { kind: 'preset', preset: 'mlp', set: { 'task.modulus': -4 } };
    const result = parseLesson(lesson);
    expect(!result.ok && result.problems).toEqual([
      expect.stringMatching(/^step 1 “A run that waits”: setup\.set: task\.modulus: /),
      expect.stringMatching(
        /^step 3 “Switch the penalty on”: setup\.set: regularizers\.radial\.lamda: unknown key/,
      ),
    ]);
  });

  it('refuses a file that is not JSON or not a lesson, saying so', () => {
    expect(parseLessonText('{"format": "grok')).toEqual({
      ok: false,
      problems: [expect.stringMatching(/^the file is not JSON/)],
    });
    const result = parseLessonText('{"format": "grok-lab-run", "version": 1}');
    expect(!result.ok && result.problems[0]).toBe('format: must be "grok-lab-lesson"');
  });
});
