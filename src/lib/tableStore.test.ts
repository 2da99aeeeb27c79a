import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, deepMerge, validateConfig, type Config } from '../engine/config';
import { closeTableStore, decodeLink, linkHash, loadTable, saveTable, tableDigest } from './tableStore';
import { decodeUrlState, encodeUrlState, MAX_URL_STATE_LENGTH } from './urlState';

/** Issue 17, item 7: the 66 049-pair table put 943 847 characters in the address bar; a reload lost it. */
function tableConfig(p: number, name = 'mul.csv'): Config {
  const rows: number[] = [];
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) rows.push(a, b, (a * b) % p);
  const config = deepMerge(DEFAULT_CONFIG, {
    task: { kind: 'table', modulus: p, trainFraction: 0.3, table: { name, rows } },
    model: { kind: 'mlp', embedDim: 16, hiddenWidth: 32 },
  });
  const result = validateConfig(config);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory(); // a fresh, empty device per test
});
afterEach(() => closeTableStore());

describe('large uploaded tables in links', () => {
  it('survive a reload: the link carries a SHA-256 reference, the rows come back from IndexedDB', async () => {
    const config = tableConfig(257);
    expect(encodeUrlState({ config }).length).toBeGreaterThan(MAX_URL_STATE_LENGTH); // inline: too long to read
    const hash = await linkHash({ config, preset: null });
    expect(hash.length).toBeLessThan(1000);
    expect(decodeURIComponent(hash)).not.toMatch(/rows/);
    const reopened = await decodeLink(hash);
    expect(reopened.notices).toEqual([]);
    expect(reopened.config.task.table?.rows).toEqual(config.task.table?.rows);
    expect(reopened.config).toEqual(config);
  });

  it('opens the rest of the config with a clear message when the table is not on this device', async () => {
    const config = tableConfig(257);
    const hash = await linkHash({ config, preset: null });
    globalThis.indexedDB = new IDBFactory(); // another device
    closeTableStore();
    const reopened = await decodeLink(hash);
    const digest = await tableDigest(config.task.table!);
    expect(reopened.notices).toEqual([
      `This link’s table “mul.csv” (66 049 rows, sha256 ${digest.slice(0, 8)}…) is not saved on this device; upload the CSV again.`,
    ]);
    expect(reopened.config.task.table).toBeNull();
    expect(reopened.config.task.kind).toBe(DEFAULT_CONFIG.task.kind);
    expect(reopened.config.task.modulus).toBe(257);
    expect(reopened.config.model).toEqual(config.model);
    expect(validateConfig(reopened.config).ok).toBe(true);
  });

  it('keeps small tables inline, so their links work on any device', async () => {
    const config = tableConfig(7, 'sum7.csv');
    const hash = await linkHash({ config, preset: null });
    expect(hash).toBe(`#${encodeUrlState({ config })}`);
    expect(decodeUrlState(hash).config).toEqual(config);
  });

  it('keys by content: the same table is stored once; a damaged copy counts as missing', async () => {
    const config = tableConfig(41);
    const first = await saveTable(config.task.table!);
    const second = await saveTable(structuredClone(config.task.table!));
    expect(second).toEqual(first);
    expect(first).toMatchObject({ pairs: 41 * 41, name: 'mul.csv' });
    expect(first.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await loadTable(first.sha256)).toEqual(config.task.table);
    expect(await loadTable('0'.repeat(64))).toBeNull();
  });
});
