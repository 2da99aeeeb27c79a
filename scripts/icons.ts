/**
 * Draws the web app manifest's PNG icons from public/favicon.svg with Debian's Chromium (run once; the PNGs are
 * committed):  npx tsx scripts/icons.ts
 * icon-192/512: the favicon as it is; icon-maskable-512: its background full-bleed and the curve inside the
 * central 80% "safe zone" that launchers may crop to a circle.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium';

const PUBLIC = fileURLToPath(new URL('../public/', import.meta.url));
const favicon = readFileSync(`${PUBLIC}favicon.svg`, 'utf8');
// The favicon's content without its rounded background, for the maskable variant.
const curve = favicon.replace(/<rect[^>]*\/>/, '').replace(/<\/?svg[^>]*>/g, '');
const maskable = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
  <rect width="32" height="32" fill="#1e1b4b"/><g transform="translate(4.8 4.8) scale(0.7)">${curve}</g></svg>`;

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
try {
  for (const [name, svg, size] of [
    ['icon-192.png', favicon, 192],
    ['icon-512.png', favicon, 512],
    ['icon-maskable-512.png', maskable, 512],
  ] as const) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const sized = svg.replace('<svg ', `<svg width="${size}" height="${size}" `);
    await page.setContent(
      `<style>html,body{margin:0;background:transparent}svg{display:block}</style>${sized}`,
    );
    await page.screenshot({ path: `${PUBLIC}icons/${name}`, omitBackground: true });
    await page.close();
  }
} finally {
  await browser.close();
}
