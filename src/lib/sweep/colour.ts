/**
 * The heatmap's colour scale: steps-to-grok on a log axis → a colour of a perceptually uniform, colour-blind-safe
 * sequential map (viridis). Few steps (fast grokking) are dark, many are light; a run that did not grok within the
 * budget gets no colour of the scale at all but a hatch (see heatmap.ts), so "slow" and "never" stay distinct.
 */

/** Viridis at nine evenly spaced points (matplotlib's table). */
const VIRIDIS = [
  '#440154',
  '#472d7b',
  '#3b528b',
  '#2c728e',
  '#21918c',
  '#28ae80',
  '#5ec962',
  '#addc30',
  '#fde725',
] as const;

function channels(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

function toHex(rgb: readonly number[]): string {
  return `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

/** The colour at t ∈ [0, 1] (clamped), interpolated linearly in RGB between the map's stops. */
export function viridis(t: number): string {
  const clamped = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  const position = clamped * (VIRIDIS.length - 1);
  const low = Math.floor(position);
  const high = Math.min(VIRIDIS.length - 1, low + 1);
  const fraction = position - low;
  const a = channels(VIRIDIS[low]);
  const b = channels(VIRIDIS[high]);
  return toHex(a.map((c, i) => c + (b[i] - c) * fraction));
}

/** Where `steps` lies on the log scale from `domain[0]` to `domain[1]` (0 … 1, clamped). */
export function logPosition(steps: number, domain: readonly [number, number]): number {
  const [low, high] = domain.map((v) => Math.log(Math.max(1, v)));
  if (!(high > low)) return 0;
  return Math.min(1, Math.max(0, (Math.log(Math.max(1, steps)) - low) / (high - low)));
}

export function stepsColour(steps: number, domain: readonly [number, number]): string {
  return viridis(logPosition(steps, domain));
}

/** Black or white, whichever reads better on `background` (WCAG relative luminance). */
export function textColourOn(background: string): string {
  const [r, g, b] = channels(background).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return luminance > 0.179 ? '#000000' : '#ffffff';
}

/** Evenly spaced stops of the map, for a gradient legend. */
export function legendStops(count: number = VIRIDIS.length): { offset: number; colour: string }[] {
  return Array.from({ length: count }, (_, i) => ({
    offset: i / (count - 1),
    colour: viridis(i / (count - 1)),
  }));
}
