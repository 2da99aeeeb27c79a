/**
 * The built-in lessons, one JSON file each (the same format a teacher exports and imports), checked at load: a
 * built-in file that fails its check is a bug, and the unit test says which field.
 */
import { parseLesson, type Lesson } from '../schema';
import radialPenalty from './radial-penalty.json' with { type: 'json' };
import transformerGroks from './transformer-groks.json' with { type: 'json' };
import whatIsGrokking from './what-is-grokking.json' with { type: 'json' };
import whyWeightDecay from './why-weight-decay.json' with { type: 'json' };

export const BUILTIN_LESSON_FILES: readonly unknown[] = [
  whatIsGrokking,
  whyWeightDecay,
  radialPenalty,
  transformerGroks,
];

function checked(file: unknown): Lesson {
  const result = parseLesson(file);
  if (!result.ok) throw new Error(`A built-in lesson is malformed: ${result.problems.join('; ')}`);
  return result.lesson;
}

export const BUILTIN_LESSONS: readonly Lesson[] = BUILTIN_LESSON_FILES.map(checked);

export function builtinLesson(id: string): Lesson | null {
  return BUILTIN_LESSONS.find((lesson) => lesson.id === id) ?? null;
}
