import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstLoadPackages, importCycles, importGraph } from './importGraph';

const ROOT = resolve(import.meta.dirname, '..');
const SOURCES = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })
  .filter((path) => /\.(ts|tsx)$/.test(path) && !path.endsWith('.d.ts'))
  .map((path) => join(ROOT, 'src', path));

describe('source import graph', () => {
  const graph = importGraph(SOURCES);

  it('has no import cycles, type-only imports included', () => {
    expect(importCycles(graph, ROOT)).toEqual([]);
  });

  it("the page's first load (src/main.tsx, static imports) does not reach tfjs", () => {
    const packages = firstLoadPackages(graph, join(ROOT, 'src/main.tsx'), ROOT);
    const tfjs = [...packages].filter(([name]) => name.startsWith('@tensorflow/'));
    // Each offender with the chain of files that pulls it in.
    expect(tfjs.map(([name, chain]) => `${name} ← ${[...chain].reverse().join(' ← ')}`)).toEqual([]);
    // The check can fail: the worker (a deferred chunk) does reach tfjs.
    const worker = firstLoadPackages(graph, join(ROOT, 'src/worker/training.worker.ts'), ROOT);
    expect(worker.has('@tensorflow/tfjs-core')).toBe(true);
  });

  it('no file in src/engine imports from src/worker (the engine is below the worker: Node, CLIs, benches)', () => {
    const engine = join(ROOT, 'src/engine/');
    const worker = join(ROOT, 'src/worker/');
    const upward = [...graph]
      .filter(([file]) => file.startsWith(engine))
      .flatMap(([file, edges]) =>
        edges.filter(({ target }) => target.startsWith(worker)).map(({ target }) => `${file} → ${target}`),
      );
    expect(upward.map((edge) => edge.replaceAll(`${ROOT}/`, ''))).toEqual([]);
  });

  it('finds a cycle when one exists', () => {
    const a = '/x/a.ts';
    const b = '/x/b.ts';
    const cyclic = new Map([
      [a, [{ target: b, typeOnly: true, deferred: false }]],
      [b, [{ target: a, typeOnly: false, deferred: false }]],
    ]);
    expect(importCycles(cyclic, '/x')).toEqual([['a.ts', 'b.ts']]);
  });
});
