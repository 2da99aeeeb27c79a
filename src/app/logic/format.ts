import { isQuotaError } from '../../lib/runStore';
/** Narrow no-break space: groups thousands ("7 340") without letting a number wrap. */
export const GROUP = '\u202f';

/** An integer with grouped thousands: 7340 → "7 340". */
export function formatInteger(value: number): string {
  const sign = value < 0 ? '-' : '';
  const digits = String(Math.round(Math.abs(value)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, GROUP);
}

/** A measured value for a readout: a few significant digits, exponent notation for tiny or huge values. */
export function formatValue(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? '—' : value > 0 ? '∞' : '−∞';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e5 || magnitude < 1e-3)
    return value.toExponential(Math.max(0, digits - 1)).replace('e+', 'e');
  return String(Number(value.toPrecision(digits)));
}

export function formatPercent(value: number): string {
  return Number.isFinite(value) ? `${(value * 100).toFixed(value >= 0.995 || value < 0.1 ? 1 : 0)}%` : '—';
}

/** Steps per second for the readout. */
export function formatRate(stepsPerSecond: number): string {
  if (!Number.isFinite(stepsPerSecond) || stepsPerSecond <= 0) return '—';
  return stepsPerSecond >= 100
    ? formatInteger(stepsPerSecond)
    : String(Number(stepsPerSecond.toPrecision(2)));
}

/** Time per step for the backend report. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  return ms >= 1000 ? `${Number((ms / 1000).toPrecision(2))} s` : `${Number(ms.toPrecision(2))} ms`;
}

/** A ConfigEvent value for a label. */
export function formatSetting(value: unknown): string {
  if (typeof value === 'number') return formatValue(value);
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return String(value);
}

/** An axis tick: as short as possible while telling neighbouring ticks apart (10.25 vs 10.3; 7.5e-5). */
export function formatTick(value: number): string {
  if (!Number.isFinite(value)) return '';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e5 || magnitude < 1e-3)
    return Number(value.toPrecision(3)).toExponential().replace('e+', 'e');
  return String(Number(value.toPrecision(4)));
}

/**
 * An error's message for a notice (anything thrown: an Error, a DOMException, or a value), never empty: a browser
 * may throw a QuotaExceededError or another DOMException with no message at all, and "could not be saved: " then
 * ended at the colon.
 */
export function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error ?? '');
  if (message.trim() !== '') return message;
  if (isQuotaError(error)) return "this browser's storage for the lab is full (QuotaExceededError)";
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  if (typeof name === 'string' && name !== '' && name !== 'Error')
    return `the browser reported ${name} without saying more`;
  return 'an error that gave no reason';
}
