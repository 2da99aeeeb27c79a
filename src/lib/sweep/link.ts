import { rawLinkParameter } from '../linkText';
import { isSweepName, SWEEPS } from './registry';
import { parseSweepSpec, SweepSpecError, type SweepSpec } from './spec';

/**
 * A sweep in a shareable link, like a run's: `#sweep=radial-map` names a sweep of the registry;
 * `#sweep=<URI-encoded JSON spec>` carries a whole spec (the lab's share button writes this, so any sweep built in
 * the lab can be shared). Read beside the run's and the race's link state (each ignores what it does not know).
 * A malformed link never throws: it comes back with a notice saying what is wrong.
 */

export interface SweepLink {
  spec: SweepSpec | null;
  /** The registry name when the link named one. */
  name: string | null;
  /** What was wrong with the link's sweep=, or null. */
  notice: string | null;
}

/** "sweep=…" (no leading '#'): the spec as URI-encoded JSON. */
export function encodeSweepLink(spec: SweepSpec): string {
  return `sweep=${encodeURIComponent(JSON.stringify(spec))}`;
}

/** Whether a URL, hash or query string carries sweep= at all. */
export function hasSweepLink(input: string): boolean {
  return rawLinkParameter(input, 'sweep') !== null;
}

/** Reads sweep= from a URL, hash or query string. Never throws. */
export function decodeSweepLink(input: string): SweepLink {
  const value = rawLinkParameter(input, 'sweep');
  if (value === null) return { spec: null, name: null, notice: null };
  const fail = (why: string): SweepLink => ({
    spec: null,
    name: null,
    notice: `The link's sweep cannot be opened: ${why}. Opened the lab instead.`,
  });
  let text: string;
  try {
    text = decodeURIComponent(value);
  } catch (_error) {
    return fail('it is not properly URL-encoded');
  }
  if (isSweepName(text)) return { spec: parseSweepSpec(SWEEPS[text].spec), name: text, notice: null };
  if (!text.trimStart().startsWith('{')) {
    return fail(
      `“${text.slice(0, 40)}” is not a named sweep (${Object.keys(SWEEPS).join(', ')}) nor a sweep's JSON`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (_error) {
    return fail('its JSON is cut short or damaged');
  }
  try {
    return { spec: parseSweepSpec(json), name: null, notice: null };
  } catch (error) {
    if (error instanceof SweepSpecError) return fail(error.message.split('\n').join('; '));
    throw error;
  }
}
