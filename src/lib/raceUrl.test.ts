import { describe, expect, it } from 'vitest';
import { decodeRaceLink, encodeRaceLink } from './raceUrl';
import { decodeUrlState } from './urlState';

describe('race links', () => {
  it('round-trips a race and leaves the single-run link state alone', () => {
    const hash = `#${encodeRaceLink('radialRescue')}`;
    expect(hash).toBe('#race=radialRescue');
    expect(decodeRaceLink(hash)).toEqual({ race: 'radialRescue', notice: null });
    expect(decodeRaceLink(`https://lab.example/?x=1${hash}`).race).toBe('radialRescue');
    expect(decodeUrlState(hash).notices).toEqual([]);
  });

  it('no race= is no race; a bad one is named', () => {
    expect(decodeRaceLink('#preset=mlp')).toEqual({ race: null, notice: null });
    expect(decodeRaceLink('#race=nope').notice).toMatch(/unknown race/);
    expect(decodeRaceLink('#race=mlp').notice).toMatch(/defines no race/);
    expect(decodeRaceLink('#race=%E0%A4%A').race).toBeNull();
  });
});
