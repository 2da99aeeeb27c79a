/**
 * Moving through a lesson: → and space forward, ← back, never past either end; which steps' runs are kept (a step
 * back shows them, nothing is trained again) and which answer the current step reveals.
 */
import type { Lesson } from './schema';

export type Move = 'next' | 'previous';

/** The parts of a key press that decide a move. */
export interface MoveKey {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  shiftKey?: boolean;
}

/** → / space / PageDown = next, ← / PageUp = previous (presentation remotes send PageUp/PageDown). */
export function moveForKey(input: MoveKey): Move | null {
  if (input.ctrlKey || input.metaKey || input.altKey) return null;
  if (input.key === 'ArrowRight' || input.key === 'PageDown') return 'next';
  if (input.key === ' ' || input.key === 'Spacebar') return input.shiftKey ? 'previous' : 'next';
  if (input.key === 'ArrowLeft' || input.key === 'PageUp') return 'previous';
  return null;
}

/** The step a move leads to, or null at either end. */
export function targetStep(lesson: Pick<Lesson, 'steps'>, current: number, move: Move): number | null {
  const target = move === 'next' ? current + 1 : current - 1;
  return target >= 0 && target < lesson.steps.length ? target : null;
}

/** The answer this step reveals: the previous step's question's. */
export function revealedAnswer(
  lesson: Pick<Lesson, 'steps'>,
  index: number,
): { ask: string; answer: string } | null {
  return (index > 0 && lesson.steps[index - 1]?.question) || null;
}

/** "Step 2 of 5". */
export function stepLabel(lesson: Pick<Lesson, 'steps'>, index: number): string {
  return `Step ${index + 1} of ${lesson.steps.length}`;
}

/** Whole minutes the lesson takes, from its steps'. */
export function lessonMinutes(lesson: Pick<Lesson, 'steps'>): number {
  return Math.round(lesson.steps.reduce((sum, step) => sum + step.minutes, 0));
}

/** Moves step `from` to `to` (the editor's reorder), a new array. */
export function moveStep<T>(steps: readonly T[], from: number, to: number): T[] {
  if (from < 0 || from >= steps.length || to < 0 || to >= steps.length) return [...steps];
  const result = [...steps];
  const [moved] = result.splice(from, 1);
  result.splice(to, 0, moved);
  return result;
}
