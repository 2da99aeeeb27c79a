import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseHeadersFile } from '../e2e/staticHost';
import { CONTENT_SECURITY_POLICY } from '../vite.config';

describe('public/_headers (the recipe for hosts that read it)', () => {
  const blocks = parseHeadersFile(readFileSync(new URL('../public/_headers', import.meta.url), 'utf8'));
  const all = Object.fromEntries(blocks)['/*'];

  it('isolates every response and sends the same CSP as vite preview', () => {
    expect(all).toMatchObject({
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    });
  });

  it('lets browsers revalidate the service worker script on every check', () => {
    expect(Object.fromEntries(blocks)['/sw.js']).toEqual({ 'Cache-Control': 'no-cache' });
  });
});
