import { describe, expect, it } from 'vitest';
import { BUILTIN_LESSONS } from './builtin';
import { teacherSheet, teacherSheetText } from './sheet';

describe("the teacher's sheet", () => {
  it('has every step with its text, lab, wait, question and answer, expected numbers and time', () => {
    const lesson = BUILTIN_LESSONS[2];
    const sheet = teacherSheet(lesson);
    expect(sheet.minutes).toBe(15);
    expect(sheet.steps.map((step) => step.heading)).toEqual(
      lesson.steps.map((s, i) => `${i + 1}. ${s.title}`),
    );
    expect(sheet.steps[0].lab).toBe(
      'A run of the “Radial penalty rescue” preset with regularizers.radial.enabled = false.',
    );
    expect(sheet.steps[2].lab).toBe('The same run goes on with regularizers.radial.enabled = true.');
    expect(sheet.steps[3].action).toBe(
      'Trains until grokked (test accuracy at the threshold in a lane), then pauses (→ moves on at any time).',
    );
    expect(sheet.steps[4].lab).toBe(
      'The sweep “Where does the radial penalty help?”, ready to start. Shown in the full lab.',
    );
    expect(sheet.steps[4].action).toBe('Nothing trains by itself; press → when the class is ready.');
  });

  it('as text: the questions with their answers and the expected numbers', () => {
    const text = teacherSheetText(BUILTIN_LESSONS[0]);
    expect(text.split('\n')[0]).toBe("What is grokking? — teacher's sheet (≈ 10 min)");
    expect(text).toContain('2. Memorize (≈ 2 min)');
    expect(text).toContain(
      '  Ask: Training accuracy is 100% and test accuracy is far lower. What happens if we keep going?',
    );
    expect(text).toContain('  Answer (revealed by the next step): It looks stuck, but it is not:');
    expect(text).toContain('  Expect: Grokked at ≈ step 900 (test ≥ 99%)');
  });
});
