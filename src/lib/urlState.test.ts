import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, deepMerge, type Config } from '../engine/config';
import {
  configDiff,
  decodeBase64Url,
  decodeUrlState,
  encodeBase64Url,
  encodeUrlState,
  presetConfig,
  urlStateToHash,
} from './urlState';

function withChanges(patch: object, base: Config = DEFAULT_CONFIG): Config {
  return deepMerge(base, patch);
}

describe('base64url', () => {
  it('round-trips unicode text without padding or unsafe characters', () => {
    const text = '{"operation":"(a*a + 3*b) % p","note":"λ→∞ ✓"}';
    const encoded = encodeBase64Url(text);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeBase64Url(encoded)).toBe(text);
  });

  it('rejects foreign characters and impossible lengths', () => {
    expect(() => decodeBase64Url('abc$')).toThrow(/base64url/);
    expect(() => decodeBase64Url('abcde')).toThrow(/length/);
  });
});

describe('configDiff', () => {
  it('keeps only the changed leaves', () => {
    const changed = withChanges({ task: { modulus: 31 }, regularizers: { radial: { enabled: true } } });
    expect(configDiff(DEFAULT_CONFIG, changed)).toEqual({
      task: { modulus: 31 },
      regularizers: { radial: { enabled: true } },
    });
    expect(configDiff(DEFAULT_CONFIG, DEFAULT_CONFIG)).toBeUndefined();
  });
});

describe('encode/decode round trip', () => {
  it('is empty for the default lab and decodes to it without notices', () => {
    expect(encodeUrlState({ config: DEFAULT_CONFIG })).toBe('');
    expect(urlStateToHash({ config: DEFAULT_CONFIG })).toBe('');
    const decoded = decodeUrlState('');
    expect(decoded).toEqual({
      config: DEFAULT_CONFIG,
      schedule: [],
      classroom: false,
      preset: null,
      notices: [],
    });
  });

  it('restores config, schedule, classroom flag and preset', () => {
    const config = withChanges(
      {
        seed: 7,
        task: { operation: '(a*a + 3*b) % p', modulus: 31 },
        regularizers: { weightDecay: { coefficient: 0.1 } },
      },
      presetConfig('mlp'),
    );
    const schedule = [
      { step: 3000, path: 'regularizers.radial.lambda', to: 0.05 },
      { step: 2000, path: 'regularizers.radial.enabled', to: true },
    ];
    const hash = urlStateToHash({ config, schedule, classroom: true, preset: 'mlp' });
    expect(hash.startsWith('#preset=mlp&c=')).toBe(true);
    const decoded = decodeUrlState(`https://lab.example/grok/${hash}`);
    expect(decoded.notices).toEqual([]);
    expect(decoded.config).toEqual(config);
    expect(decoded.classroom).toBe(true);
    expect(decoded.preset).toBe('mlp');
    expect(decoded.schedule).toEqual([
      { step: 2000, regularizer: 'radial', path: 'regularizers.radial.enabled', from: false, to: true },
      { step: 3000, regularizer: 'radial', path: 'regularizers.radial.lambda', from: 0.01, to: 0.05 },
    ]);
  });

  it('stores only the diff: a one-setting change makes a short link', () => {
    const encoded = encodeUrlState({ config: withChanges({ task: { modulus: 113 } }) });
    expect(encoded.length).toBeLessThan(50);
    expect(decodeUrlState(encoded).config.task.modulus).toBe(113);
  });

  it('reads a query string and a preset-only link', () => {
    const decoded = decodeUrlState('?preset=mlp&classroom=1');
    expect(decoded.config).toEqual(presetConfig('mlp'));
    expect(decoded.config.model.kind).toBe('mlp');
    expect(decoded.classroom).toBe(true);
  });

  it('round-trips arbitrary valid live-setting changes (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.double({ min: 1e-5, max: 10, noNaN: true }),
        fc.constantFrom('a+b', 'a-b', 'a*b', 'a^2 + b', '(a*a + 3*b) % p'),
        fc.boolean(),
        (seed, coefficient, operation, classroom) => {
          const config = withChanges({
            seed,
            task: { operation },
            regularizers: { weightDecay: { coefficient } },
          });
          const decoded = decodeUrlState(urlStateToHash({ config, classroom }));
          expect(decoded.notices).toEqual([]);
          expect(decoded.config).toEqual(config);
          expect(decoded.classroom).toBe(classroom);
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('malformed links', () => {
  it('opens the default lab with a notice for a non-base64url config', () => {
    const decoded = decodeUrlState('#c=%%%not-base64');
    expect(decoded.config).toEqual(DEFAULT_CONFIG);
    expect(decoded.notices).toHaveLength(1);
    expect(decoded.notices[0]).toMatch(/settings \(c=\)/);
  });

  it('names truncated JSON', () => {
    const encoded = encodeBase64Url('{"task":{"modulus":3');
    const decoded = decodeUrlState(`c=${encoded}`);
    expect(decoded.config).toEqual(DEFAULT_CONFIG);
    expect(decoded.notices[0]).toMatch(/not valid JSON/);
  });

  it('drops just the invalid setting and names it', () => {
    const encoded = encodeBase64Url(JSON.stringify({ seed: 5, task: { modulus: 100000 } }));
    const decoded = decodeUrlState(`#c=${encoded}`);
    expect(decoded.config.seed).toBe(5);
    expect(decoded.config.task.modulus).toBe(DEFAULT_CONFIG.task.modulus);
    expect(decoded.notices).toHaveLength(1);
    expect(decoded.notices[0]).toMatch(/task\.modulus/);
  });

  it('drops unknown keys and names them', () => {
    const encoded = encodeBase64Url(JSON.stringify({ task: { modulus: 31, colour: 'red' }, bogus: 1 }));
    const decoded = decodeUrlState(`#c=${encoded}`);
    expect(decoded.config.task.modulus).toBe(31);
    expect(decoded.notices.join('\n')).toMatch(/task\.colour/);
    expect(decoded.notices.join('\n')).toMatch(/bogus/);
  });

  it('drops a section that breaks a cross-field rule', () => {
    const encoded = encodeBase64Url(JSON.stringify({ seed: 3, model: { dModel: 130 } }));
    const decoded = decodeUrlState(`#c=${encoded}`);
    expect(decoded.config.seed).toBe(3);
    expect(decoded.config.model).toEqual(DEFAULT_CONFIG.model);
    expect(decoded.notices.join('\n')).toMatch(/model/);
  });

  it('rejects a config that is not an object', () => {
    const decoded = decodeUrlState(`#c=${encodeBase64Url('[1,2]')}`);
    expect(decoded.config).toEqual(DEFAULT_CONFIG);
    expect(decoded.notices[0]).toMatch(/not a JSON object/);
  });

  it('names an unknown preset', () => {
    const decoded = decodeUrlState('#preset=turbo');
    expect(decoded.preset).toBeNull();
    expect(decoded.config).toEqual(DEFAULT_CONFIG);
    expect(decoded.notices[0]).toMatch(/unknown preset “turbo”/);
  });

  it('skips bad schedule entries one by one, with their index', () => {
    const entries = [
      [100, 'regularizers.radial.enabled', true],
      [-1, 'regularizers.radial.lambda', 0.1],
      [200, 'task.modulus', 31],
      [300, 'regularizers.radial.lambda', 50],
      [400, 'regularizers.nothing.enabled', true],
      [500, 'optimizer.lr', { big: true }],
      'nonsense',
      [600, 'optimizer.lr', 0.003],
    ];
    const decoded = decodeUrlState(`#s=${encodeBase64Url(JSON.stringify(entries))}`);
    expect(decoded.schedule.map((event) => [event.step, event.path, event.to])).toEqual([
      [100, 'regularizers.radial.enabled', true],
      [600, 'optimizer.lr', 0.003],
    ]);
    const notices = decoded.notices.join('\n');
    for (const index of [2, 3, 4, 5, 6, 7]) expect(notices).toContain(`schedule entry ${index}`);
  });

  it('rejects a bad classroom flag and an over-long link', () => {
    expect(decodeUrlState('#classroom=maybe').notices[0]).toMatch(/classroom/);
    const long = decodeUrlState(`#c=${'A'.repeat(200_000)}`);
    expect(long.config).toEqual(DEFAULT_CONFIG);
    expect(long.notices[0]).toMatch(/too long/);
  });

  it('ignores __proto__ keys in the settings', () => {
    const decoded = decodeUrlState(`#c=${encodeBase64Url('{"__proto__":{"polluted":true},"seed":9}')}`);
    expect(decoded.config.seed).toBe(9);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never throws on random strings (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const decoded = decodeUrlState(text);
        expect(Array.isArray(decoded.notices)).toBe(true);
        expect(decoded.config.task).toBeDefined();
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on random JSON behind valid base64url (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), fc.constantFrom('c', 's'), (first, second, key) => {
        const decoded = decodeUrlState(
          `#${key}=${encodeBase64Url(JSON.stringify(first))}&s=${encodeBase64Url(JSON.stringify([second]))}`,
        );
        expect(decoded.config.model).toBeDefined();
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on random patches of plausible shape (property)', () => {
    const leaf = fc.oneof(fc.integer(), fc.double(), fc.string(), fc.boolean(), fc.constant(null));
    fc.assert(
      fc.property(
        fc.record({
          task: fc.dictionary(fc.constantFrom('modulus', 'operation', 'trainFraction', 'kind'), leaf),
          model: fc.dictionary(fc.constantFrom('kind', 'dModel', 'heads', 'embedDim'), leaf),
        }),
        (patch) => {
          const decoded = decodeUrlState(`#c=${encodeBase64Url(JSON.stringify(patch))}`);
          expect(decoded.config.task.modulus).toBeGreaterThanOrEqual(2);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('deeply nested links (issue 17, minor)', () => {
  it('says the link could not be read instead of leaking a stack overflow, and opens the rest', () => {
    const depth = 20_000;
    const nested = '['.repeat(depth) + ']'.repeat(depth);
    const config = encodeBase64Url(`{"seed":3,"task":${nested}}`);
    const decoded = decodeUrlState(`#preset=mlp&c=${config}&classroom=1`);
    expect(decoded.notices).toEqual([
      'The link’s settings (c=) could not be read: they are nested deeper than 32 levels; they were ignored.',
    ]);
    expect(decoded.notices.join()).not.toMatch(/call stack|structuredClone/);
    expect(decoded.preset).toBe('mlp');
    expect(decoded.classroom).toBe(true);
    const schedule = encodeBase64Url(`[[10,"optimizer.lr",${nested}]]`);
    expect(decodeUrlState(`#s=${schedule}`).notices).toEqual([
      'The link’s schedule (s=) could not be read: it is nested deeper than 32 levels; it was ignored.',
    ]);
  });

  it('still reads ordinary nesting', () => {
    const config = encodeBase64Url(JSON.stringify({ regularizers: { radial: { enabled: true } } }));
    const decoded = decodeUrlState(`#c=${config}`);
    expect(decoded.notices).toEqual([]);
    expect(decoded.config.regularizers.radial.enabled).toBe(true);
  });
});
