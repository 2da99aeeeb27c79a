/**
 * Right-censored step counts (a run that never grokked within its step cap is known only to take more than the
 * cap): their median, range and formatting. Pure; shared by the science bench and the sweep.
 */

/**
 * A step count that may be right-censored: `step` is the observed value, or null when the event did not happen
 * within `cap` steps (the run is then known only to take more than `cap`).
 */
export interface Outcome {
  step: number | null;
  cap: number;
}

/** A summary value: exact, or only a lower / upper bound because of censoring. */
export type Bounded =
  | { kind: 'exact'; value: number }
  | { kind: 'above'; value: number }
  | { kind: 'below'; value: number }
  | { kind: 'unknown' };

/**
 * Orders outcomes: observed values ascending, then censored ones (which exceed every observed value that is not
 * above their cap — with equal caps, as in a bench group, they exceed every observation) by cap.
 */
function sortOutcomes(outcomes: readonly Outcome[]): Outcome[] {
  const key = (o: Outcome): number => (o.step === null ? Number.POSITIVE_INFINITY : o.step);
  return [...outcomes].sort((a, b) => key(a) - key(b) || a.cap - b.cap);
}

/**
 * Median of right-censored outcomes. A censored run counts as larger than every observed one. If the middle
 * element (odd n) or the upper of the two middle elements (even n) is censored, only a lower bound is known:
 * "> cap" (odd n) or "> (lower middle + cap)/2" (even n, lower middle observed).
 */
export function censoredMedian(outcomes: readonly Outcome[]): Bounded {
  if (outcomes.length === 0) return { kind: 'unknown' };
  const sorted = sortOutcomes(outcomes);
  const n = sorted.length;
  if (n % 2 === 1) {
    const middle = sorted[(n - 1) / 2];
    return middle.step === null
      ? { kind: 'above', value: middle.cap }
      : { kind: 'exact', value: middle.step };
  }
  const low = sorted[n / 2 - 1];
  const high = sorted[n / 2];
  if (low.step === null) return { kind: 'above', value: low.cap };
  if (high.step === null) return { kind: 'above', value: (low.step + high.cap) / 2 };
  return { kind: 'exact', value: (low.step + high.step) / 2 };
}

/** Smallest and largest outcome; the maximum is a lower bound ("> cap") when any run is censored. */
export function censoredRange(outcomes: readonly Outcome[]): { min: Bounded; max: Bounded } {
  if (outcomes.length === 0) return { min: { kind: 'unknown' }, max: { kind: 'unknown' } };
  const sorted = sortOutcomes(outcomes);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  return {
    min: first.step === null ? { kind: 'above', value: first.cap } : { kind: 'exact', value: first.step },
    max: last.step === null ? { kind: 'above', value: last.cap } : { kind: 'exact', value: last.step },
  };
}

/** Formats a bounded value, e.g. "1 250", "> 20 000", "< 0.8×". */
export function formatBounded(
  value: Bounded,
  format: (x: number) => string = formatSteps,
  suffix = '',
): string {
  switch (value.kind) {
    case 'exact':
      return `${format(value.value)}${suffix}`;
    case 'above':
      return `> ${format(value.value)}${suffix}`;
    case 'below':
      return `< ${format(value.value)}${suffix}`;
    case 'unknown':
      return 'n/a';
  }
}

/** 12345 → "12 345" (thin grouping, as in DESIGN). Non-integers keep one decimal. */
export function formatSteps(x: number): string {
  const rounded = Number.isInteger(x) ? x : Math.round(x * 10) / 10;
  const [whole, fraction] = String(Math.abs(rounded)).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${rounded < 0 ? '−' : ''}${grouped}${fraction ? `.${fraction}` : ''}`;
}
