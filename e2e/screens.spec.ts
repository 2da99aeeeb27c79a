/**
 * Every screen a class uses: the lab after a short run (memorized), photographed at each size into docs/ for
 * docs/classroom.md, and checked: nothing wider than the viewport (the page does not scroll sideways and no element's box
 * reaches past the right edge), and on narrow screens every control is a touch target of at least 44 px.
 */
import { expect, test, type Page } from '@playwright/test';

const SCREENS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'tablet-portrait', width: 768, height: 1024 },
  { name: 'tablet-landscape', width: 1024, height: 768 },
  { name: 'laptop', width: 1280, height: 720 },
] as const;

const PROJECTORS = [
  { name: 'projector', width: 1280, height: 720 },
  { name: 'projector-xga', width: 1024, height: 768 },
] as const;

/** Elements whose box reaches past the right edge (visible ones; screen-reader-only text excluded). */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const limit = window.innerWidth + 0.5;
    const out: string[] = [];
    if (document.documentElement.scrollWidth > window.innerWidth) {
      out.push(
        `page scrolls sideways: scrollWidth ${document.documentElement.scrollWidth} > ${window.innerWidth}`,
      );
    }
    for (const element of document.body.querySelectorAll('*')) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || element.closest('.sr-only')) continue;
      const style = getComputedStyle(element);
      if (style.visibility === 'hidden' || style.display === 'none') continue;
      if (box.right > limit) {
        const name = `${element.tagName.toLowerCase()}${element.className ? `.${String(element.className).split(' ').join('.')}` : ''}`;
        out.push(`${name} right edge at ${Math.round(box.right)} > ${window.innerWidth}`);
      }
    }
    return out.slice(0, 20);
  });
}

/** Visible controls under `root` smaller than 44 px in height (checkboxes inside a larger label excepted). */
async function smallTargets(page: Page, root: string): Promise<string[]> {
  return page.evaluate((rootSelector) => {
    const out: string[] = [];
    const controls = document.querySelectorAll(
      `${rootSelector} :is(button, select, summary, input:not([type=checkbox]):not([type=file]), [role=switch], label.button)`,
    );
    for (const element of controls) {
      const box = element.getBoundingClientRect();
      const style = getComputedStyle(element);
      if (box.width === 0 || style.visibility === 'hidden' || element.closest('.sr-only, [hidden]')) continue;
      if (box.height < 43.5) {
        const label = element.getAttribute('aria-label') ?? element.textContent?.trim().slice(0, 30) ?? '';
        out.push(
          `${element.tagName.toLowerCase()} "${label}" ${Math.round(box.width)}×${Math.round(box.height)}`,
        );
      }
    }
    return out;
  }, root);
}

async function settle(page: Page): Promise<void> {
  // Charts re-measure on resize (ResizeObserver) and redraw on the next frames: settled once the layout (the
  // page's size and every chart's drawn size) is the same two frames apart, however long a loaded machine takes.
  const layout = () =>
    page.evaluate(async () => {
      await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
      // A transition still running (the settings drawer sliding away when the layout narrows) is not a settled
      // picture: wait for every finite one to end.
      const finite = document
        .getAnimations()
        .filter((animation) => animation.effect?.getComputedTiming().iterations !== Infinity);
      await Promise.all(finite.map((animation) => animation.finished.catch(() => undefined)));
      const root = document.documentElement;
      const charts = [...document.querySelectorAll('figure[data-chart] svg, canvas')].map((element) => {
        const box = element.getBoundingClientRect();
        return `${Math.round(box.width)}×${Math.round(box.height)}`;
      });
      return `${root.scrollWidth}×${root.scrollHeight} ${charts.join(' ')}`;
    });
  let previous = await layout();
  await expect
    .poll(async () => {
      const current = await layout();
      const stable = current === previous;
      previous = current;
      return stable;
    })
    .toBe(true);
}

test('every screen: phone, tablet both ways, laptop, projector; nothing overflows, touch targets ≥ 44 px', async ({
  page,
}) => {
  test.setTimeout(600_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  const start = page.getByRole('button', { name: 'Start' });
  await expect(start).toBeEnabled({ timeout: 90_000 });
  await start.click();
  await expect(page.getByText(/Memorized at step|Grokked at step/)).toBeVisible({ timeout: 120_000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Resume' })).toBeEnabled();

  const problems: Record<string, string[]> = {};
  for (const screen of SCREENS) {
    await page.setViewportSize({ width: screen.width, height: screen.height });
    await settle(page);
    problems[screen.name] = await overflowing(page);
    await page.screenshot({ path: `docs/screen-${screen.name}.png` });
    if (screen.width <= 900) {
      // The settings are a drawer here: closed, the charts have the width; opened, it lies over them.
      const toggle = page.getByRole('button', { name: 'Settings' });
      await expect(toggle).toBeVisible();
      await expect(page.getByRole('complementary', { name: 'Settings' })).toBeHidden();
      problems[`${screen.name} targets`] = await smallTargets(page, '.lab');
      await toggle.click();
      const drawer = page.getByRole('complementary', { name: 'Settings' });
      await expect(drawer).toBeVisible();
      await expect(drawer.getByRole('switch', { name: 'Radial penalty' })).toBeInViewport();
      await settle(page);
      problems[`${screen.name} settings`] = await overflowing(page);
      problems[`${screen.name} settings targets`] = await smallTargets(page, '.sidebar');
      if (screen.name === 'phone') await page.screenshot({ path: 'docs/screen-phone-settings.png' });
      await page.keyboard.press('Escape');
      await expect(drawer).toBeHidden();
    } else {
      await expect(page.getByRole('button', { name: 'Settings' })).toBeHidden();
      await expect(page.getByRole('complementary', { name: 'Settings' })).toBeVisible();
    }
    // The prediction grid fits its panel.
    const grid = await page.locator('.prediction-grid canvas').boundingBox();
    expect(grid!.width).toBeGreaterThan(100);
    expect(grid!.x + grid!.width).toBeLessThanOrEqual(screen.width);
  }

  await page
    .getByRole('switch', { name: /classroom/i })
    .first()
    .click();
  for (const screen of PROJECTORS) {
    await page.setViewportSize({ width: screen.width, height: screen.height });
    await settle(page);
    problems[screen.name] = await overflowing(page);
    await page.screenshot({ path: `docs/screen-${screen.name}.png` });
  }

  expect(Object.fromEntries(Object.entries(problems).filter(([, list]) => list.length > 0))).toEqual({});
  expect(errors).toEqual([]);
});
