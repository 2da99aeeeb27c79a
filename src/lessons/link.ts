/**
 * A lesson in a shareable link: `#lesson=what-is-grokking&step=3` opens that built-in lesson at its third step
 * (steps count from 1, as the page shows them). Read beside the run's, the race's and the sweep's link state; a
 * malformed one never throws: it comes back with a notice saying what is wrong, and opens the lab instead.
 */
import { rawLinkParameter } from '../lib/linkText';
import type { Lesson } from './schema';

export interface LessonLink {
  lesson: Lesson | null;
  /** 0-based step to open. */
  step: number;
  notice: string | null;
}

/** "lesson=what-is-grokking&step=3" (no leading '#'); `step` is 0-based. */
export function encodeLessonLink(id: string, step: number): string {
  return `lesson=${encodeURIComponent(id)}&step=${step + 1}`;
}

/** Whether a URL, hash or query string carries lesson= at all. */
export function hasLessonLink(input: string): boolean {
  return rawLinkParameter(input, 'lesson') !== null;
}

function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch (_error) {
    return value;
  }
}

/** Reads lesson= and step= from a URL, hash or query string, against the lessons it may name. Never throws. */
export function decodeLessonLink(input: string, lessons: readonly Lesson[]): LessonLink {
  const raw = rawLinkParameter(input, 'lesson');
  if (raw === null) return { lesson: null, step: 0, notice: null };
  const id = decoded(raw);
  const lesson = lessons.find((candidate) => candidate.id === id);
  if (!lesson) {
    return {
      lesson: null,
      step: 0,
      notice: `The link names an unknown lesson “${id.slice(0, 40)}” (one of ${lessons.map((l) => l.id).join(', ')}); opened the lab instead.`,
    };
  }
  const stepText = rawLinkParameter(input, 'step');
  if (stepText === null) return { lesson, step: 0, notice: null };
  const step = decoded(stepText);
  if (!/^\d+$/.test(step) || Number(step) < 1 || Number(step) > lesson.steps.length) {
    return {
      lesson,
      step: 0,
      notice: `The link's step “${step.slice(0, 20)}” is not a step of “${lesson.title}” (1–${lesson.steps.length}); opened its first step.`,
    };
  }
  return { lesson, step: Number(step) - 1, notice: null };
}
