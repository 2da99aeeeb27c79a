import { describe, expect, it } from 'vitest';
import { BUILTIN_LESSONS } from './builtin';
import { decodeLessonLink, encodeLessonLink, hasLessonLink } from './link';

describe('lesson links', () => {
  it('opens a built-in lesson at a step (counted from 1 in the link)', () => {
    const link = `#${encodeLessonLink('radial-penalty', 2)}`;
    expect(link).toBe('#lesson=radial-penalty&step=3');
    const decoded = decodeLessonLink(`https://lab.example/${link}`, BUILTIN_LESSONS);
    expect(decoded.lesson?.id).toBe('radial-penalty');
    expect(decoded.step).toBe(2);
    expect(decoded.notice).toBeNull();
    expect(decodeLessonLink('?lesson=what-is-grokking', BUILTIN_LESSONS).step).toBe(0);
    expect(hasLessonLink('#classroom=1')).toBe(false);
  });

  it('says what is wrong with a malformed one', () => {
    expect(decodeLessonLink('#lesson=nope&step=1', BUILTIN_LESSONS)).toEqual({
      lesson: null,
      step: 0,
      notice: expect.stringMatching(/^The link names an unknown lesson “nope” \(one of what-is-grokking, /),
    });
    for (const step of ['0', '5', 'two', '-1']) {
      const decoded = decodeLessonLink(`#lesson=what-is-grokking&step=${step}`, BUILTIN_LESSONS);
      expect(decoded.lesson?.id).toBe('what-is-grokking');
      expect(decoded.step).toBe(0);
      expect(decoded.notice).toBe(
        `The link's step “${step}” is not a step of “What is grokking?” (1–4); opened its first step.`,
      );
    }
  });
});
