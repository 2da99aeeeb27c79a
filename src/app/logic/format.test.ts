import { describe, expect, it } from 'vitest';
import {
  errorText,
  formatInteger,
  formatMs,
  formatPercent,
  formatRate,
  formatSetting,
  formatTick,
  formatValue,
  GROUP,
} from './format';

describe('format', () => {
  it('groups thousands with a narrow space', () => {
    expect(formatInteger(7340)).toBe(`7${GROUP}340`);
    expect(formatInteger(410)).toBe('410');
    expect(formatInteger(1_234_567)).toBe(`1${GROUP}234${GROUP}567`);
    expect(formatInteger(0)).toBe('0');
  });

  it('formats values with a few significant digits', () => {
    expect(formatValue(0.012345)).toBe('0.0123');
    expect(formatValue(123.456)).toBe('123');
    expect(formatValue(1e-4)).toBe('1.00e-4');
    expect(formatValue(Number.NaN)).toBe('—');
    expect(formatValue(0)).toBe('0');
  });

  it('formats percentages, rates and durations', () => {
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatPercent(0.5)).toBe('50%');
    expect(formatPercent(0.031)).toBe('3.1%');
    expect(formatRate(0)).toBe('—');
    expect(formatRate(12.34)).toBe('12');
    expect(formatRate(1234)).toBe(`1${GROUP}234`);
    expect(formatMs(22.4)).toBe('22 ms');
    expect(formatMs(1600)).toBe('1.6 s');
  });

  it('formats axis ticks short but distinct', () => {
    expect([10.2, 10.25, 10.3].map(formatTick)).toEqual(['10.2', '10.25', '10.3']);
    expect([7.5e-5, 1e-4].map(formatTick)).toEqual(['7.5e-5', '1e-4']);
    expect(formatTick(0)).toBe('0');
    expect(formatTick(48)).toBe('48');
  });

  it('formats settings', () => {
    expect(formatSetting(true)).toBe('on');
    expect(formatSetting(0.05)).toBe('0.05');
    expect(formatSetting('auto')).toBe('auto');
  });
});

describe('errorText (issue 25 item 7: notices ended at the colon)', () => {
  it('is never empty: a message-less DOMException or Error still gives a reason', () => {
    expect(errorText(new Error('disk on fire'))).toBe('disk on fire');
    expect(errorText(new DOMException('', 'QuotaExceededError'))).toBe(
      "this browser's storage for the lab is full (QuotaExceededError)",
    );
    expect(errorText(new DOMException('', 'UnknownError'))).toBe(
      'the browser reported UnknownError without saying more',
    );
    expect(errorText(new Error(''))).toBe('an error that gave no reason');
    expect(errorText(undefined)).toBe('an error that gave no reason');
    expect(errorText('plain')).toBe('plain');
  });
});
