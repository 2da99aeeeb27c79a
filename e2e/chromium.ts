/**
 * The one Chromium every browser run uses — Playwright's specs and the benches alike: Debian's system build (never
 * a Playwright download), with these flags (DESIGN §4: without them Chromium floods refused connections).
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];
