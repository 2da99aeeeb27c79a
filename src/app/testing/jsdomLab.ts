/** jsdom stand-ins for component tests that render the lab page (imported only by *.test.tsx files). */
import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';

/** jsdom has no ResizeObserver; the charts only need one that never fires (they stay unmeasured: no SVG drawn). */
class NoResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}

/**
 * Registers, around every test of the calling file, what the lab page needs under jsdom: a ResizeObserver, a
 * canvas without a 2-D context, and the URL back at `/`; after each test the render is cleaned up and every mock
 * and stubbed global restored. Call once, at the top level.
 */
export function installJsdomLab(): void {
  beforeEach(() => {
    vi.stubGlobal('ResizeObserver', NoResizeObserver);
    // jsdom has no 2-D canvas: the prediction grids draw nothing.
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(
      (() => null) as unknown as HTMLCanvasElement['getContext'],
    );
    history.replaceState(null, '', '/');
  });

  afterEach(() => {
    cleanup();
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });
}
