import { describe, expect, it } from 'vitest';
import { BUILTIN_LESSONS } from './builtin';
import { lessonMinutes, moveForKey, moveStep, revealedAnswer, stepLabel, targetStep } from './navigation';

const lesson = BUILTIN_LESSONS[0];

describe('moving through a lesson', () => {
  it('→, space and PageDown go forward; ←, shift+space and PageUp back; other keys and modifiers nothing', () => {
    expect(moveForKey({ key: 'ArrowRight' })).toBe('next');
    expect(moveForKey({ key: ' ' })).toBe('next');
    expect(moveForKey({ key: 'PageDown' })).toBe('next');
    expect(moveForKey({ key: 'ArrowLeft' })).toBe('previous');
    expect(moveForKey({ key: ' ', shiftKey: true })).toBe('previous');
    expect(moveForKey({ key: 'ArrowRight', altKey: true })).toBeNull();
    expect(moveForKey({ key: 'r' })).toBeNull();
  });

  it('never moves past either end', () => {
    expect(targetStep(lesson, 0, 'previous')).toBeNull();
    expect(targetStep(lesson, 0, 'next')).toBe(1);
    expect(targetStep(lesson, lesson.steps.length - 1, 'next')).toBeNull();
  });

  it('a step reveals the answer to the previous step’s question', () => {
    expect(revealedAnswer(lesson, 0)).toBeNull();
    expect(revealedAnswer(lesson, 1)?.answer).toMatch(/^Not at first/);
    expect(revealedAnswer(lesson, 2)?.ask).toMatch(/What happens if we keep going\?$/);
  });

  it('labels the step, sums the minutes, reorders steps', () => {
    expect(stepLabel(lesson, 1)).toBe('Step 2 of 4');
    expect(BUILTIN_LESSONS.map(lessonMinutes)).toEqual([10, 10, 15, 10]);
    expect(moveStep(['a', 'b', 'c'], 2, 0)).toEqual(['c', 'a', 'b']);
    expect(moveStep(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveStep(['a', 'b'], 1, 2)).toEqual(['a', 'b']);
  });
});
