import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  brokenLinks,
  documentationPages,
  githubSlug,
  headingAnchors,
  markdownLinks,
  repositoryBrokenLinks,
} from './docLinks';

describe('githubSlug', () => {
  it('lower-cases, drops punctuation and turns each space into a hyphen', () => {
    expect(githubSlug('Phase diagrams (headless)')).toBe('phase-diagrams-headless');
    expect(githubSlug('Every core — added 2026-11-30')).toBe('every-core--added-2026-11-30');
    expect(githubSlug('A real GPU: `bench/gpu.sh` — added 2026-12-04; run once on an NVIDIA H200')).toBe(
      'a-real-gpu-benchgpush--added-2026-12-04-run-once-on-an-nvidia-h200',
    );
    expect(githubSlug('The lab\'s guide: [races](race.md) and "presets"')).toBe(
      'the-labs-guide-races-and-presets',
    );
    expect(githubSlug('λ and ⊥Grad_2')).toBe('λ-and-grad_2');
  });
});

describe('headingAnchors', () => {
  it('numbers repeated headings and ignores # lines inside code fences', () => {
    const text = '# Title\n\n## Notes\n\n```sh\n# not a heading\n```\n\n## Notes\n';
    expect([...headingAnchors(text)]).toEqual(['title', 'notes', 'notes-1']);
  });
});

describe('markdownLinks', () => {
  it('finds links and images with their lines, not those shown as code', () => {
    const text = [
      'See [the guide](docs/guide.md#using-the-lab) and ![a picture](docs/lab.png "title").',
      'Not a link: `[x](missing.md)`.',
      '```md',
      '[also not](missing.md)',
      '```',
      '[outside](https://example.org) [here](#top)',
    ].join('\n');
    expect(markdownLinks(text)).toEqual([
      { target: 'docs/guide.md#using-the-lab', line: 1 },
      { target: 'docs/lab.png', line: 1 },
      { target: 'https://example.org', line: 6 },
      { target: '#top', line: 6 },
    ]);
  });
});

describe('brokenLinks', () => {
  const files: Record<string, string> = {
    'README.md': '# Grok Lab\n\n## Two commands\n',
    'docs/guide.md': '# Guide\n\n## Using the lab\n',
    'docs/lab.png': '',
  };
  const read = (path: string): string | null => files[path] ?? null;

  it('resolves targets from the linking file, fragments against the target’s headings', () => {
    const page = [
      '[back](../README.md#two-commands) [self](#guide) [picture](lab.png) [web](https://example.org)',
      '[gone](missing.md) [bad anchor](../README.md#three-commands)',
      '[out](../../etc/passwd) [anchor here](#nowhere)',
    ].join('\n');
    expect(brokenLinks('docs/guide.md', `# Guide\n${page}`, read)).toEqual([
      'docs/guide.md:3: missing.md — no file docs/missing.md',
      'docs/guide.md:3: ../README.md#three-commands — README.md has no heading with the anchor #three-commands',
      'docs/guide.md:4: ../../etc/passwd — points outside the repository',
      'docs/guide.md:4: #nowhere — docs/guide.md has no heading with the anchor #nowhere',
    ]);
  });
});

describe('the repository’s documentation', () => {
  const root = fileURLToPath(new URL('..', import.meta.url));

  it('covers the README, every docs page and the bench README', () => {
    const pages = documentationPages(root);
    expect(pages[0]).toBe('README.md');
    expect(pages).toContain('docs/performance.md');
    expect(pages).toContain('bench/README.md');
  });

  it('has no relative link to a missing file or heading', () => {
    expect(repositoryBrokenLinks(root)).toEqual([]);
  });
});
