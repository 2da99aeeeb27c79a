// @vitest-environment jsdom
import { renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useWakeLock } from './useWakeLock';

afterEach(() => {
  Reflect.deleteProperty(navigator, 'wakeLock');
});

describe('useWakeLock', () => {
  it('holds a screen wake lock while active and releases it after', async () => {
    const release = vi.fn(async () => undefined);
    const request = vi.fn(async () => ({ released: false, release }));
    Object.defineProperty(navigator, 'wakeLock', { value: { request }, configurable: true });
    const { rerender } = renderHook(({ active }) => useWakeLock(active), { initialProps: { active: false } });
    expect(request).not.toHaveBeenCalled();
    rerender({ active: true });
    await waitFor(() => expect(request).toHaveBeenCalledWith('screen'));
    await Promise.resolve();
    rerender({ active: false });
    await waitFor(() => expect(release).toHaveBeenCalled());
  });

  it('does nothing where the API is missing', () => {
    expect(() => renderHook(() => useWakeLock(true))).not.toThrow();
  });
});
