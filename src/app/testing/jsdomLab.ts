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

/**
 * For chart tests: jsdom lays nothing out, so a ResizeObserver that reports every observed element at
 * `width`×`height` px, as a browser would; cleaned up and unstubbed after each test. Call once, at the top level.
 */
export function installFixedSize(width: number, height: number): void {
  class FixedSizeObserver {
    constructor(private readonly callback: ResizeObserverCallback) {}
    observe(target: Element) {
      this.callback(
        [{ target, contentRect: { width, height } } as unknown as ResizeObserverEntry],
        this as unknown as ResizeObserver,
      );
    }
    unobserve() {}
    disconnect() {}
  }
  beforeEach(() => vi.stubGlobal('ResizeObserver', FixedSizeObserver));
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });
}
