/** jsdom stand-ins for component tests that render the lab page (imported only by *.test.tsx files). */
import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';

/** jsdom has no ResizeObserver; recharts' containers only need one that never fires. */
class NoResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}

/**
 * Registers, around every test of the calling file, what the lab page needs under jsdom: a ResizeObserver,
 * no recharts warnings about sizeless charts, a canvas without a 2-D context, and the URL back at `/`; after
 * each test the render is cleaned up and every mock and stubbed global restored. Call once, at the top level.
 */
export function installJsdomLab(): void {
  beforeEach(() => {
    vi.stubGlobal('ResizeObserver', NoResizeObserver);
    // recharts warns that jsdom gives its containers no size.
    const warn = console.warn;
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
      if (!String(args[0]).includes('of chart should be greater than 0')) warn(...args);
    });
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
