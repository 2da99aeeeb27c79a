import { useEffect, useLayoutEffect, useRef, useState } from 'react';

/**
 * `value`, updated at most once per interval (the latest value always lands, at the end of the interval).
 * The interval may be a function, read each time an update is scheduled (e.g. adapted to the measured cost of
 * drawing). `onCommitted` receives how long each update took to render and commit, including the children of
 * the component that calls this hook. Charts read the history through this, so a fast stream redraws them at
 * an affordable rate.
 */
export function useThrottled<T>(
  value: T,
  intervalMs: number | (() => number),
  onCommitted?: (durationMs: number) => void,
): T {
  const [shown, setShown] = useState(value);
  const lastUpdate = useRef(Number.NEGATIVE_INFINITY);
  const updatedAt = useRef<number | null>(null);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const interval = typeof intervalMs === 'function' ? intervalMs() : intervalMs;
    const wait = Math.max(0, lastUpdate.current + interval - performance.now());
    const timer = setTimeout(() => {
      lastUpdate.current = performance.now();
      updatedAt.current = lastUpdate.current;
      setShown(() => value);
    }, wait);
    return () => clearTimeout(timer);
  }, [value, shown, intervalMs]);
  useLayoutEffect(() => {
    // Layout effects run children first: by now everything this update re-rendered is committed.
    if (updatedAt.current === null) return;
    onCommitted?.(performance.now() - updatedAt.current);
    updatedAt.current = null;
  }, [shown, onCommitted]);
  return shown;
}
