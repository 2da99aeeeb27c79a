/** What a slider needs to know about a numeric parameter. */
export interface NumericRange {
  min: number;
  max: number;
  scale: 'linear' | 'log';
  integer?: boolean;
}

/** Slider positions run 0…SLIDER_STEPS. */
export const SLIDER_STEPS = 1000;

/** Slider position of a value (clamped into the range). */
export function toSliderPosition(value: number, range: NumericRange): number {
  const clamped = Math.min(range.max, Math.max(range.min, value));
  const fraction =
    range.scale === 'log' && range.min > 0
      ? Math.log(clamped / range.min) / Math.log(range.max / range.min)
      : (clamped - range.min) / (range.max - range.min || 1);
  return Math.round(fraction * SLIDER_STEPS);
}

/** Value at a slider position, rounded to a readable number (3 significant digits; integers stay integers). */
export function fromSliderPosition(position: number, range: NumericRange): number {
  const fraction = Math.min(1, Math.max(0, position / SLIDER_STEPS));
  const raw =
    range.scale === 'log' && range.min > 0
      ? range.min * (range.max / range.min) ** fraction
      : range.min + fraction * (range.max - range.min);
  const rounded = range.integer ? Math.round(raw) : Number(raw.toPrecision(3));
  return Math.min(range.max, Math.max(range.min, rounded));
}

/** Parses a typed number; null when the text is not a finite number. */
export function parseNumber(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}
