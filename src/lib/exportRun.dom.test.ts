// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { downloadBlob, downloadChartPng, findChartSvg, serializeSvg } from './exportRun';

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  document.body.innerHTML = '';
});

describe('downloadBlob', () => {
  it('clicks a temporary download link and revokes its URL later', () => {
    vi.useFakeTimers();
    const created: Blob[] = [];
    const revoked: string[] = [];
    // jsdom implements no object URLs; give it minimal ones for this test.
    Object.assign(URL, {
      createObjectURL: (blob: Blob) => {
        created.push(blob);
        return 'blob:test/1';
      },
      revokeObjectURL: (url: string) => revoked.push(url),
    });
    const clicks: { href: string; download: string; attached: boolean }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push({ href: this.href, download: this.download, attached: this.isConnected });
    });
    const blob = new Blob(['step\n0\n'], { type: 'text/csv' });
    downloadBlob(blob, 'run.csv');
    expect(created).toEqual([blob]);
    expect(clicks).toEqual([{ href: 'blob:test/1', download: 'run.csv', attached: true }]);
    expect(document.querySelectorAll('a')).toHaveLength(0);
    expect(revoked).toEqual([]);
    vi.runAllTimers();
    expect(revoked).toEqual(['blob:test/1']);
  });
});

describe('serializeSvg', () => {
  it('makes a standalone SVG with size, namespace, background and inlined styles', () => {
    document.body.innerHTML = `
      <style>.line { stroke: rgb(0, 114, 178); }</style>
      <div id="chart"><svg class="chart__surface" width="320" height="200"><path class="line" d="M0 0L10 10"/></svg></div>`;
    const svg = document.querySelector('svg') as SVGSVGElement;
    const { text, width, height } = serializeSvg(svg);
    expect([width, height]).toEqual([320, 200]);
    expect(text).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(text).toContain('viewBox="0 0 320 200"');
    expect(text).toMatch(/<rect[^>]*fill="#ffffff"/);
    expect(text).toMatch(/<path[^>]*style="[^"]*stroke: rgb\(0, 114, 178\)/);
    // The page's own SVG is untouched.
    expect(svg.querySelector('rect')).toBeNull();
  });

  it('finds the chart surface, not a legend icon', () => {
    document.body.innerHTML = `
      <figure id="chart">
        <figcaption><svg class="icon" width="14" height="14"></svg></figcaption>
        <svg id="surface" class="chart__surface" width="400" height="200"></svg>
      </figure>`;
    expect(findChartSvg(document.getElementById('chart') as Element)?.id).toBe('surface');
  });

  it('refuses to save a chart when there is none', async () => {
    document.body.innerHTML = '<div id="empty"></div>';
    await expect(downloadChartPng(document.getElementById('empty') as Element, 'x.png')).rejects.toThrow(
      /no chart/,
    );
  });
});
