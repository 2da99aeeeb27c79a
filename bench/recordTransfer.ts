/**
 * Whether the worker's column packing of metric records paid (it did not; records now cross as plain objects, and
 * the packing is kept here only as the baseline): per batch, the CPU cost of packing the records into Float64Array
 * columns, cloning them with the columns transferred and unpacking them on the page, against cloning the same
 * records as plain objects. structuredClone runs V8's serializer and deserializer, what postMessage does
 * on each side. Records are real: a few steps and one evaluation of the mlp and fastTransformer presets, radial
 * penalty on. Both ways run in the same process, interleaved round by round; each is reported as its fastest round.
 *
 *   npx tsx bench/recordTransfer.ts
 */
import { serialize } from 'node:v8';
import { resolveConfig } from '../src/engine/config';
import { initNodeBackend } from '../src/engine/node';
import type { MetricRecord } from '../src/engine/records';
import { Trainer } from '../src/engine/trainer';
import { leafEntries } from '../src/engine/plainObjects';
import { presetConfig } from '../src/lib/urlState';

const ROUNDS = 15;
const REPEATS = 200;
const BATCH_SIZES = [1, 4, 16];

// --- the packing the worker protocol used until 2026-12-04 -------------------------------------------------------

interface PackedRecords {
  length: number;
  columns: Record<string, Float64Array>;
}

function packRecords(records: readonly MetricRecord[]): PackedRecords {
  const flat = records.map(
    (record) =>
      new Map(leafEntries(record).filter((entry): entry is [string, number] => typeof entry[1] === 'number')),
  );
  const keys = new Set(flat.flatMap((entry) => [...entry.keys()]));
  const columns: Record<string, Float64Array> = {};
  for (const key of keys) columns[key] = Float64Array.from(flat, (entry) => entry.get(key) ?? Number.NaN);
  return { length: records.length, columns };
}

function transferablesOf(packed: PackedRecords): ArrayBuffer[] {
  return Object.values(packed.columns).map((column) => column.buffer as ArrayBuffer);
}

const NESTED = ['activationRadius', 'radiusRatio', 'radialShare', 'regularizers', 'progress'];

function unpackRecords(packed: PackedRecords): MetricRecord[] {
  const records: MetricRecord[] = [];
  for (let i = 0; i < packed.length; i++) {
    const record: Record<string, unknown> = {
      activationRadius: {},
      radiusRatio: {},
      radialShare: {},
      regularizers: {},
    };
    for (const [key, column] of Object.entries(packed.columns)) {
      const value = column[i];
      const parts = key.split('.');
      if (parts.length === 1) {
        record[key] = value;
        continue;
      }
      if (Number.isNaN(value) && NESTED.includes(parts[0])) continue;
      let node = record;
      for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
      node[parts[parts.length - 1]] = value;
    }
    records.push(record as unknown as MetricRecord);
  }
  return records;
}

// --- the measurement ------------------------------------------------------------------------------------------

async function realRecord(preset: 'mlp' | 'fastTransformer'): Promise<MetricRecord> {
  const config = resolveConfig({ ...presetConfig(preset), regularizers: { radial: { enabled: true } } });
  if (!config.ok) throw new Error(`preset ${preset} is invalid`);
  const trainer = new Trainer(config.config);
  for (let i = 0; i < 3; i++) trainer.trainStep();
  const { record } = await trainer.evaluate();
  trainer.dispose();
  return record;
}

function packed(records: MetricRecord[]): MetricRecord[] {
  const columns = packRecords(records);
  return unpackRecords(structuredClone(columns, { transfer: transferablesOf(columns) }));
}

function plain(records: MetricRecord[]): MetricRecord[] {
  return structuredClone(records);
}

/** µs per batch over REPEATS batches. */
function timeOne(send: (records: MetricRecord[]) => MetricRecord[], records: MetricRecord[]): number {
  const started = performance.now();
  for (let i = 0; i < REPEATS; i++) send(records);
  return ((performance.now() - started) * 1000) / REPEATS;
}

async function main(): Promise<void> {
  await initNodeBackend('wasm');
  for (const preset of ['mlp', 'fastTransformer'] as const) {
    const record = await realRecord(preset);
    const keys = Object.keys(packRecords([record]).columns).length;
    for (const size of BATCH_SIZES) {
      const records = Array.from({ length: size }, (_, i) => ({ ...record, step: record.step + i }));
      const best = { packed: Number.POSITIVE_INFINITY, plain: Number.POSITIVE_INFINITY };
      for (let round = 0; round < ROUNDS; round++) {
        // Alternate which goes first, so neither always runs on a warmer cache.
        const order = round % 2 === 0 ? (['packed', 'plain'] as const) : (['plain', 'packed'] as const);
        for (const way of order)
          best[way] = Math.min(best[way], timeOne(way === 'packed' ? packed : plain, records));
      }
      const columns = packRecords(records);
      const bytes = { packed: serialize(columns).length, plain: serialize(records).length };
      console.log(
        `${preset} (${keys} numbers a record), ${size} record${size > 1 ? 's' : ''} a batch: ` +
          `packed ${best.packed.toFixed(1)} µs, ${bytes.packed} bytes · plain ${best.plain.toFixed(1)} µs, ${bytes.plain} bytes`,
      );
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
