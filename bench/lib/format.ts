/** Milliseconds as the throughput tables print them: "8.3 ms", "279 ms", "1.25 s". */
export function formatMs(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value >= 100 ? 0 : 1)} ms`;
}
