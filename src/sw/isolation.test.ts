import { describe, expect, it } from 'vitest';
import { withIsolationHeaders } from './isolation';

describe('isolation headers', () => {
  it('adds COOP/COEP and keeps the status, other headers and body', async () => {
    const original = new Response('<!doctype html>', {
      status: 200,
      headers: { 'Content-Type': 'text/html', 'Cross-Origin-Opener-Policy': 'unsafe-none' },
    });
    const isolated = withIsolationHeaders(original);
    expect(isolated.status).toBe(200);
    expect(isolated.headers.get('Content-Type')).toBe('text/html');
    expect(isolated.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(isolated.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(await isolated.text()).toBe('<!doctype html>');
  });

  it('leaves an error status as it is, with the headers', () => {
    const isolated = withIsolationHeaders(new Response('gone', { status: 404 }));
    expect(isolated.status).toBe(404);
    expect(isolated.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
  });
});
