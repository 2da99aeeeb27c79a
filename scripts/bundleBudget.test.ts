import { describe, expect, it } from 'vitest';
import { entryFiles } from './bundleBudget';

describe('bundle budget', () => {
  it("reads the page's up-front files from the built index.html: module scripts, preloads, stylesheets", () => {
    const html = `<!doctype html><html><head>
      <link rel="icon" href="/favicon.svg" />
      <link rel="manifest" href="/manifest.webmanifest" />
      <script type="module" crossorigin src="/assets/main-abc.js"></script>
      <link rel="modulepreload" crossorigin href="/assets/client-def.js">
      <link rel="stylesheet" crossorigin href="/assets/main-123.css">
      <script type="module" src="https://example.org/x.js"></script>
    </head></html>`;
    expect(entryFiles(html)).toEqual(['assets/main-abc.js', 'assets/client-def.js', 'assets/main-123.css']);
  });
});
