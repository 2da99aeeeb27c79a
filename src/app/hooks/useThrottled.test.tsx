// @vitest-environment jsdom
import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useThrottled } from './useThrottled';

describe('useThrottled', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('passes the first change at once and coalesces a burst into its last value', () => {
    const { result, rerender } = renderHook(({ value }) => useThrottled(value, 200), {
      initialProps: { value: 0 },
    });
    rerender({ value: 1 });
    act(() => void vi.advanceTimersByTime(1));
    expect(result.current).toBe(1);
    rerender({ value: 2 });
    rerender({ value: 3 });
    act(() => void vi.advanceTimersByTime(50));
    expect(result.current).toBe(1);
    act(() => void vi.advanceTimersByTime(200));
    expect(result.current).toBe(3);
  });
});

describe('useThrottled timing', () => {
  it('reports how long each shown update took to commit', () => {
    vi.useFakeTimers();
    const durations: number[] = [];
    const note = (ms: number) => durations.push(ms);
    const { rerender } = renderHook(({ value }) => useThrottled(value, 100, note), {
      initialProps: { value: 'a' },
    });
    rerender({ value: 'b' });
    act(() => void vi.advanceTimersByTime(1));
    expect(durations).toHaveLength(1);
    expect(durations[0]).toBeGreaterThanOrEqual(0);
    vi.useRealTimers();
  });
});
