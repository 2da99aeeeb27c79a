import os from 'node:os';

/** The 1-minute load average: above the core count the machine was shared and wall times are inflated. */
export const load1 = (): number => os.loadavg()[0];

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
}

/** The machine a bench ran on, as its result files record it. */
export function machine(): Machine {
  return { cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU', cores: os.cpus().length, node: process.version };
}

/** The load average from `before` to now, "2.1 → 3.4". */
export function loadSpan(before: number): string {
  return `${before.toFixed(1)} → ${load1().toFixed(1)}`;
}

/** A result file's timestamp to the minute, "2026-11-30 01:09 UTC". */
export function minuteStamp(date: Date = new Date()): string {
  return date.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}
