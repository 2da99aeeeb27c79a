/**
 * Every built-in lesson walked end to end at 1280×720 with the keyboard alone (→, space, ←, Escape): each step's
 * title, its setup in effect (the task, the race's lanes, the view), its run started toward its condition (the
 * "waiting for" line) or stopped there, a step back showing the kept runs at their step (not trained again), and
 * leaving returning the lab as it was. Each step is photographed into docs/lessons/. No wait is for a speed: a
 * step whose condition takes minutes is checked to be waiting with its run started, then left with →.
 */
import { expect, test, type Page } from '@playwright/test';
import { BUILTIN_LESSONS } from '../src/lessons/builtin';
import type { Lesson, LessonStep } from '../src/lessons/schema';
import { presetConfig } from '../src/lib/urlState';
import { PRESETS, type Preset } from '../src/engine/presets';

const stepCounter = async (page: Page) =>
  Number(((await page.getByTestId('step-counter').first().textContent()) ?? '').replace(/\D/g, ''));

/** The task's modulus a step's setup trains on (what the classroom title shows), for the steps that set one. */
function modulusOf(step: LessonStep): number | null {
  const setup = step.setup;
  if (setup.kind === 'preset') return presetConfig(setup.preset).task.modulus ?? null;
  return null;
}

/** The step's setup is on screen: its task, its lanes, its view. */
async function checkSetup(page: Page, step: LessonStep) {
  const setup = step.setup;
  if (step.view === 'lab') await expect(page.locator('.lab .topbar')).toBeVisible();
  else await expect(page.locator('.classroom')).toBeVisible();
  if (setup.kind === 'sweep') {
    await expect(page.getByRole('heading', { name: 'Sweep: where does it grok?' })).toBeVisible();
    return;
  }
  const modulus = modulusOf(step);
  if (modulus !== null && step.view !== 'lab')
    await expect(page.locator('.classroom__title')).toContainText(`mod ${modulus}`);
  if (setup.kind === 'race') {
    const race = (PRESETS[setup.preset] as Preset).race!;
    await expect(page.getByTestId('classroom-race')).toBeVisible();
    await expect(page.locator('.classroom__title')).toContainText(`Race · ${PRESETS[setup.preset].title}`);
    await expect(page.getByTestId('chips-0')).toContainText(race.presetLane);
    await expect(page.getByTestId('chips-1')).toContainText(race.otherLane);
  } else if (setup.kind === 'preset' && step.view !== 'lab') {
    await expect(page.getByTestId('classroom-race')).toHaveCount(0);
  }
  for (const [key, value] of Object.entries(
    setup.kind === 'preset' || setup.kind === 'continue' ? (setup.set ?? {}) : {},
  )) {
    if (key === 'regularizers.radial.enabled')
      await expect(page.getByRole('switch', { name: 'Radial penalty' })).toHaveAttribute(
        'aria-checked',
        String(value),
      );
  }
}

/** A run step: its run started toward the condition (or already there). */
async function checkRunStarted(page: Page, status: ReturnType<Page['getByTestId']>) {
  await expect(status).toHaveText(/^(Waiting for: .* · step [1-9][\d,]* — |✓ )/, { timeout: 180_000 });
}

async function walk(page: Page, lesson: Lesson) {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled({ timeout: 90_000 });
  const preset = page.getByLabel('Preset');
  await expect(preset).toHaveValue('mlp');

  // Keys only: focus reaches the buttons without the mouse, Enter presses them.
  await page.getByRole('button', { name: 'Lessons' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: `Teach ${lesson.title}` }).focus();
  await page.keyboard.press('Enter');

  const title = page.getByTestId('lesson-title');
  const status = page.getByTestId('lesson-status');
  let backChecked = false;
  for (let index = 0; index < lesson.steps.length; index++) {
    const step = lesson.steps[index];
    await expect(title).toHaveText(step.title);
    await expect(page.getByTestId('lesson-step')).toHaveText(`Step ${index + 1} of ${lesson.steps.length}`);
    await expect(status).not.toHaveText('Setting up…', { timeout: 120_000 });
    await checkSetup(page, step);
    if (step.do.kind === 'click') await expect(status).toHaveText('Press → when the class is ready.');
    else {
      await checkRunStarted(page, status);
      // Memorizing takes tens of steps: seen met (the run paused there); longer waits are left with →.
      if (step.do.until.kind === 'memorized')
        await expect(status).toHaveText(/^✓ memorized .* at step [\d,]+ — paused\./, { timeout: 300_000 });
    }
    if (index > 0 && lesson.steps[index - 1].question)
      await expect(page.getByTestId('lesson-answer')).toContainText(lesson.steps[index - 1].question!.answer);
    await page.screenshot({ path: `docs/lessons/${lesson.id}-${index + 1}.png` });

    // Once per lesson: on the first run step with a step after it, → then ← shows this step's runs as kept.
    if (!backChecked && step.do.kind === 'run' && index + 1 < lesson.steps.length) {
      backChecked = true;
      const kept = await stepCounter(page);
      expect(kept).toBeGreaterThan(0);
      await page.keyboard.press('ArrowRight');
      await expect(title).toHaveText(lesson.steps[index + 1].title);
      await expect(status).not.toHaveText('Setting up…', { timeout: 120_000 });
      await page.keyboard.press('ArrowLeft');
      await expect(title).toHaveText(step.title);
      await expect(status).not.toHaveText('Setting up…', { timeout: 120_000 });
      // Reopened at the step it was left at (≥ what it showed before →), not rebuilt from step 0.
      expect(await stepCounter(page)).toBeGreaterThanOrEqual(kept);
      await checkSetup(page, step);
    }
    if (index + 1 < lesson.steps.length) await page.keyboard.press(index % 2 === 0 ? 'ArrowRight' : ' ');
  }

  // Escape leaves: the lab as it was, the Fast MLP at step 0, one lane, not in classroom mode.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('lesson-bar')).toHaveCount(0);
  await expect(page.locator('.classroom')).toHaveCount(0);
  await expect(preset).toHaveValue('mlp');
  await expect(page.getByTestId('step-counter')).toHaveText('0');
  await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled({ timeout: 90_000 });
}

for (const lesson of BUILTIN_LESSONS) {
  test(`walks “${lesson.title}” with the keyboard at 1280×720`, async ({ page }) => {
    test.setTimeout(900_000);
    await walk(page, lesson);
  });
}

test('a lesson link opens its step; a malformed one says what is wrong', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto('/#lesson=what-is-grokking&step=3');
  await expect(page.getByTestId('lesson-title')).toHaveText('The plateau, then the jump');
  await expect(page.getByTestId('lesson-status')).toHaveText(
    /^(Waiting for: grokked .* · step [1-9][\d,]* — |✓ grokked)/,
    {
      timeout: 180_000,
    },
  );
  await expect(page.locator('.classroom__title')).toContainText('mod 31');
  await page.screenshot({ path: 'docs/lessons/projector-xga.png' });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  expect(overflow).toBe(false);
  await page.goto('about:blank');
  await page.goto('/#lesson=what-is-grokking&step=9');
  await expect(
    page.getByText("The link's step “9” is not a step of “What is grokking?” (1–4); opened its first step."),
  ).toBeVisible();
  await expect(page.getByTestId('lesson-title')).toHaveText('The task');
});
