import { describe, expect, it } from 'vitest';
import { END, replaceBetweenMarkers, START } from './readme';

describe('README markers', () => {
  it('replaces only the text between the markers', () => {
    const before = `# T\n\n## Results\n\n${START}\nold\n${END}\n\nafter\n`;
    const after = replaceBetweenMarkers(before, 'new table');
    expect(after).toBe(`# T\n\n## Results\n\n${START}\nnew table\n${END}\n\nafter\n`);
    expect(replaceBetweenMarkers(after, 'new table')).toBe(after);
  });

  it('refuses a README without markers', () => {
    expect(() => replaceBetweenMarkers('# T\n', 'x')).toThrow(/bench:grok:start/);
  });
});
