/**
 * The teacher's sheet: every step's text, what the lab does, what to wait for, the question with its answer, the
 * expected numbers and the time, generated from the lesson file itself (printed from the lesson's page, or saved
 * as text).
 */
import { PRESETS } from '../engine/presets';
import { SWEEPS } from '../lib/sweep/registry';
import { describeCondition } from './conditions';
import { lessonMinutes } from './navigation';
import type { Lesson, LessonStep, Setup } from './schema';

/** "regularizers.radial.enabled = true, …". */
function describeSettings(set: Record<string, unknown> | undefined): string {
  const entries = Object.entries(set ?? {});
  return entries.length === 0
    ? ''
    : ` with ${entries.map(([key, value]) => `${key} = ${String(value)}`).join(', ')}`;
}

/** What the lab becomes for a step, in words. */
export function describeSetup(setup: Setup): string {
  switch (setup.kind) {
    case 'preset':
      return `A run of the “${PRESETS[setup.preset].title}” preset${describeSettings(setup.set)}.`;
    case 'config':
      return setup.preset
        ? `A run of a saved setup based on the “${PRESETS[setup.preset].title}” preset.`
        : 'A run of a saved setup.';
    case 'race':
      return `The race of the “${PRESETS[setup.preset].title}” preset.`;
    case 'lanes':
      return `A race, “${setup.title}”: ${setup.lanes.map((lane) => `${lane.name} (${PRESETS[lane.preset].title}${describeSettings(lane.set)})`).join(' vs ')}.`;
    case 'continue':
      return setup.set ? `The same run goes on${describeSettings(setup.set)}.` : 'The same run goes on.';
    case 'sweep':
      return `The sweep “${SWEEPS[setup.sweep].title}”, ready to start.`;
  }
}

/** What the step waits for, in words. */
export function describeAction(step: LessonStep, laneCount = 1): string {
  return step.do.kind === 'run'
    ? `Trains until ${describeCondition(step.do.until, laneCount)}, then pauses (→ moves on at any time).`
    : 'Nothing trains by itself; press → when the class is ready.';
}

export interface SheetStep {
  heading: string;
  text: string;
  lab: string;
  action: string;
  question: { ask: string; answer: string } | null;
  expect: string | null;
  minutes: number;
}

export interface TeacherSheet {
  title: string;
  summary: string;
  minutes: number;
  steps: SheetStep[];
}

function laneCount(setup: Setup): number {
  return setup.kind === 'lanes' ? setup.lanes.length : setup.kind === 'race' ? 2 : 1;
}

export function teacherSheet(lesson: Lesson): TeacherSheet {
  let lanes = 1;
  return {
    title: lesson.title,
    summary: lesson.summary,
    minutes: lessonMinutes(lesson),
    steps: lesson.steps.map((step, index) => {
      if (step.setup.kind !== 'continue') lanes = laneCount(step.setup);
      return {
        heading: `${index + 1}. ${step.title}`,
        text: step.text,
        lab: describeSetup(step.setup) + (step.view === 'lab' ? ' Shown in the full lab.' : ''),
        action: describeAction(step, lanes),
        question: step.question ?? null,
        expect: step.expect ?? null,
        minutes: step.minutes,
      };
    }),
  };
}

/** The sheet as plain text (to print or save beside the lesson file). */
export function teacherSheetText(lesson: Lesson): string {
  const sheet = teacherSheet(lesson);
  const lines = [`${sheet.title} — teacher's sheet (≈ ${sheet.minutes} min)`, '', sheet.summary, ''];
  for (const step of sheet.steps) {
    lines.push(
      `${step.heading} (≈ ${step.minutes} min)`,
      `  Say: ${step.text}`,
      `  Lab: ${step.lab}`,
      `  Do: ${step.action}`,
    );
    if (step.expect) lines.push(`  Expect: ${step.expect}`);
    if (step.question)
      lines.push(
        `  Ask: ${step.question.ask}`,
        `  Answer (revealed by the next step): ${step.question.answer}`,
      );
    lines.push('');
  }
  return lines.join('\n');
}
