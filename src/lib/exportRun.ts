/**
 * Getting runs out of the lab and back in: a versioned JSON file that re-imports losslessly (typed arrays as
 * base64, non-finite numbers tagged), a CSV of the evaluations for spreadsheets, and a PNG of any chart.
 */
import type { ConfigEvent, MetricRecord } from '../engine/records';
import type { RunSnapshot } from '../worker/protocol';
import { isPlainObject, leafEntries } from '../engine/plainObjects';
import { formatProblems, type Problem } from '../engine/problems';
import { checkStoredRun } from './storedRun';
import type { StoredRun } from './storedRun';

export const RUN_FILE_FORMAT = 'grok-lab-run';
export const RUN_FILE_VERSION = 1;
/** Larger files are refused before they are read (a run with a snapshot of a 10M-parameter model is ~100 MB). */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

// --- lossless JSON encoding ---------------------------------------------------------------------------------

type TypedArrayName = 'Float32Array' | 'Float64Array' | 'Int32Array' | 'Uint8Array';
type AnyTypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;
const TYPED: Record<TypedArrayName, { bytes: number; create(length: number): AnyTypedArray }> = {
  Float32Array: { bytes: 4, create: (n) => new Float32Array(n) },
  Float64Array: { bytes: 8, create: (n) => new Float64Array(n) },
  Int32Array: { bytes: 4, create: (n) => new Int32Array(n) },
  Uint8Array: { bytes: 1, create: (n) => new Uint8Array(n) },
};

function typedName(value: unknown): TypedArrayName | null {
  if (value instanceof Float32Array) return 'Float32Array';
  if (value instanceof Float64Array) return 'Float64Array';
  if (value instanceof Int32Array) return 'Int32Array';
  if (value instanceof Uint8Array) return 'Uint8Array';
  return null;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function base64ToBytes(text: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new Error('is not valid base64');
  return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The array's bytes in little-endian order (the file format's, whatever the machine's). */
function littleEndianBytes(array: AnyTypedArray): Uint8Array {
  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength).slice();
  const width = array.BYTES_PER_ELEMENT;
  if (!LITTLE_ENDIAN && width > 1)
    for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
  return bytes;
}

/** JSON-ready copy: typed arrays → {$typed, base64}; NaN/±Infinity → {$number: "NaN"}; undefined dropped. */
function encodeValue(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : { $number: String(value) };
  const typed = typedName(value);
  if (typed) return { $typed: typed, base64: bytesToBase64(littleEndianBytes(value as AnyTypedArray)) };
  if (Array.isArray(value)) return value.map(encodeValue);
  if (typeof value === 'object' && value !== null) {
    const result: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value))
      if (child !== undefined) result[key] = encodeValue(child);
    return result;
  }
  return value;
}

/** What decoding found wrong, and the paths of arrays it could not decode (not reported again by the schema). */
class Problems {
  readonly list: Problem[] = [];
  readonly damaged = new Set<string>();
  add(path: string, message: string): void {
    this.list.push({ path, message });
  }
  /** Whether `path` is a damaged array or lies inside one. */
  isDamaged(path: string): boolean {
    for (const damaged of this.damaged)
      if (path === damaged || path.startsWith(`${damaged}.`) || path.startsWith(`${damaged}[`)) return true;
    return false;
  }
}

/** Stands in for an array whose data could not be decoded (already reported; not checked again). */
const DAMAGED: Readonly<Record<string, never>> = Object.freeze({});

function damaged(path: string, problems: Problems, message: string): typeof DAMAGED {
  problems.add(path, message);
  problems.damaged.add(path);
  return DAMAGED;
}

/** Inverse of encodeValue; malformed tags are reported with their path. */
function decodeValue(value: unknown, path: string, problems: Problems): unknown {
  if (Array.isArray(value)) return value.map((child, i) => decodeValue(child, `${path}[${i}]`, problems));
  if (!isPlainObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === '$number') {
    const text = value.$number;
    if (text === 'NaN') return Number.NaN;
    if (text === 'Infinity') return Number.POSITIVE_INFINITY;
    if (text === '-Infinity') return Number.NEGATIVE_INFINITY;
    problems.add(path, `unknown number ${JSON.stringify(text)}`);
    return Number.NaN;
  }
  if (keys.length === 2 && '$typed' in value && 'base64' in value) {
    const kind = TYPED[value.$typed as TypedArrayName];
    if (!kind || typeof value.base64 !== 'string')
      return damaged(path, problems, `unknown array type ${JSON.stringify(value.$typed)}`);
    let bytes: Uint8Array;
    try {
      bytes = base64ToBytes(value.base64);
    } catch (_error) {
      return damaged(path, problems, 'array data is not valid base64 (the file is damaged)');
    }
    if (bytes.length % kind.bytes !== 0)
      return damaged(
        path,
        problems,
        `array data has ${bytes.length} bytes, not a whole number of ${value.$typed} values`,
      );
    if (!LITTLE_ENDIAN && kind.bytes > 1) {
      for (let i = 0; i < bytes.length; i += kind.bytes) bytes.subarray(i, i + kind.bytes).reverse();
    }
    const array = kind.create(bytes.length / kind.bytes);
    new Uint8Array(array.buffer).set(bytes);
    return array;
  }
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === '__proto__') continue;
    result[key] = decodeValue(child, path ? `${path}.${key}` : key, problems);
  }
  return result;
}

// --- JSON export / import -----------------------------------------------------------------------------------

export interface ExportedRun {
  text: string;
  /** What was left out and why (e.g. a diverged snapshot), for the page to say. */
  notes: string[];
}

function snapshotIsFinite(snapshot: RunSnapshot): boolean {
  const arrays = [
    ...Object.values(snapshot.parameters),
    ...Object.values(snapshot.optimizer.firstMoments),
    ...Object.values(snapshot.optimizer.secondMoments),
  ];
  return arrays.every((array) => array.every(Number.isFinite));
}

/** The run as a re-importable JSON file. A snapshot whose weights are not finite is left out (noted). */
export function exportRunJson(run: StoredRun, exportedAt: Date = new Date()): ExportedRun {
  const notes: string[] = [];
  const { snapshot, ...rest } = run;
  const body: Record<string, unknown> = { ...rest };
  if (snapshot) {
    if (snapshotIsFinite(snapshot)) body.snapshot = snapshot;
    else notes.push('The weights snapshot was left out: it holds NaN/Infinity values (the run diverged).');
  }
  const file = {
    format: RUN_FILE_FORMAT,
    version: RUN_FILE_VERSION,
    exportedAt: exportedAt.toISOString(),
    run: body,
  };
  return { text: JSON.stringify(encodeValue(file)), notes };
}

export type ImportResult =
  | {
      ok: true;
      run: StoredRun;
      /** What was repaired on the way in (an impossible date), for the page to say. */
      notes: string[];
    }
  | { ok: false; errors: string[] };

function failure(errors: string[]): ImportResult {
  return { ok: false, errors: formatProblems(errors.map((message) => ({ path: '', message }))) };
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Reads a run file's text. Never throws; says what is wrong, path by path. The whole file is checked — every
 * snapshot's weights against the model its config builds, a race's lanes too — so a file that passes can replace
 * the current run without failing half-way.
 */
export function importRunJson(text: string, now: number = Date.now()): ImportResult {
  if (text.length > MAX_IMPORT_BYTES) {
    return failure([
      `The file is ${megabytes(text.length)}; the lab reads run files up to ${megabytes(MAX_IMPORT_BYTES)}.`,
    ]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return failure([
      `The file is not valid JSON (${error instanceof Error ? error.message : String(error)}).`,
    ]);
  }
  if (!isPlainObject(parsed) || parsed.format !== RUN_FILE_FORMAT) {
    return failure(['This is not a Grok Lab run file (its "format" is not "grok-lab-run").']);
  }
  const { version } = parsed;
  if (version !== RUN_FILE_VERSION) {
    const newer = typeof version === 'number' && version > RUN_FILE_VERSION;
    return failure([
      newer
        ? `This run file is format version ${version}, written by a newer lab; this lab reads version ${RUN_FILE_VERSION}.`
        : `This run file has format version ${JSON.stringify(version)}; this lab reads version ${RUN_FILE_VERSION}.`,
    ]);
  }
  const problems = new Problems();
  const decoded = decodeValue(parsed.run, 'run', problems);
  const checked = checkStoredRun(decoded, 'run', now);
  const all = [...problems.list, ...checked.problems.filter((problem) => !problems.isDamaged(problem.path))];
  if (all.length > 0 || !checked.run) return { ok: false, errors: formatProblems(all) };
  return { ok: true, run: checked.run, notes: checked.notes };
}

/** Reads a chosen file (an <input type=file> or a drop), refusing oversized ones before reading them. */
export async function importRunFile(file: Blob): Promise<ImportResult> {
  if (file.size > MAX_IMPORT_BYTES) {
    return failure([
      `The file is ${megabytes(file.size)}; the lab reads run files up to ${megabytes(MAX_IMPORT_BYTES)}.`,
    ]);
  }
  let text: string;
  try {
    text = await file.text();
  } catch (error) {
    return failure([
      `The file could not be read (${error instanceof Error ? error.message : String(error)}).`,
    ]);
  }
  return importRunJson(text);
}

/** The fixed numbers of an evaluation, in the CSV's column order. */
const RECORD_NUMBERS = [
  'step',
  'trainAccuracy',
  'testAccuracy',
  'trainLoss',
  'testLoss',
  'weightNorm',
  'gradientEntropy',
  'learningRate',
  'trainingMs',
] as const;

// --- CSV ------------------------------------------------------------------------------------------------------

function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text =
    typeof value === 'number' ? String(value) : typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The fixed leading columns of the evaluations CSV; per-site and per-regularizer columns follow. */
export const CSV_LEADING_COLUMNS = RECORD_NUMBERS;

/**
 * One row per evaluation: step, train/test accuracy and loss, weight norm, gradient entropy, learning rate,
 * training ms, then activationRadius.<site>, radiusRatio.<site>, radialShare.<site>, regularizers.<id>.<scalar>
 * (every key any record has; blank where a record lacks it). Non-finite values are written NaN / Infinity.
 */
export function historyToCsv(history: readonly MetricRecord[]): string {
  const rows = history.map(
    (record) => new Map(leafEntries(record).filter(([, value]) => typeof value === 'number')),
  );
  const seen = new Set<string>(CSV_LEADING_COLUMNS);
  const groups = new Map<string, string[]>();
  for (const row of rows) {
    for (const key of row.keys()) {
      if (seen.has(key)) continue;
      seen.add(key);
      const group = key.split('.')[0];
      groups.set(group, [...(groups.get(group) ?? []), key]);
    }
  }
  const order = ['activationRadius', 'radiusRatio', 'radialShare', 'regularizers'];
  const extra = [...groups.keys()].sort((x, y) => {
    const [ix, iy] = [order.indexOf(x), order.indexOf(y)].map((i) => (i < 0 ? order.length : i));
    return ix - iy || x.localeCompare(y);
  });
  const columns = [...CSV_LEADING_COLUMNS, ...extra.flatMap((group) => groups.get(group) ?? [])];
  const lines = [columns.map(csvField).join(',')];
  for (const row of rows) lines.push(columns.map((column) => csvField(row.get(column))).join(','));
  return `${lines.join('\n')}\n`;
}

/** The run's config changes: step, regularizer, path, from, to (values as JSON). */
export function eventsToCsv(events: readonly ConfigEvent[]): string {
  const lines = ['step,regularizer,path,from,to'];
  for (const event of events) {
    lines.push(
      [event.step, event.regularizer, event.path, JSON.stringify(event.from), JSON.stringify(event.to)]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The CSV files a run exports: its history, and its changes when there are any. A race: one pair per lane, each
 * file named by its lane ("….radial.csv"), so lanes never overwrite each other.
 */
export function runCsvFiles(run: StoredRun): { filename: string; text: string }[] {
  const lanes = run.comparison?.lanes.map((lane) => ({ ...lane, prefix: `${lane.name}.` })) ?? [
    { history: run.history, events: run.events, prefix: '' },
  ];
  return lanes.flatMap((lane) => [
    { filename: runFileName(run, `${lane.prefix}csv`), text: historyToCsv(lane.history) },
    ...(lane.events.length > 0
      ? [{ filename: runFileName(run, `${lane.prefix}events.csv`), text: eventsToCsv(lane.events) }]
      : []),
  ]);
}

// --- files and pictures ---------------------------------------------------------------------------------------

/** "radial-lambda-0.05-2026-11-23.json" from a run's name and creation time. */
export function runFileName(run: Pick<StoredRun, 'name' | 'createdAt'>, extension: string): string {
  const slug =
    run.name
      .toLowerCase()
      .replace(/[^a-z0-9.]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'run';
  // new Date(1e300) is an Invalid Date, whose toISOString throws ("Invalid time value").
  const time = new Date(run.createdAt);
  const date = Number.isFinite(time.getTime()) ? time.toISOString().slice(0, 10) : 'undated';
  return `${slug}-${date}.${extension}`;
}

/** Saves a blob through a temporary link (the browser's download). */
export function downloadBlob(blob: Blob, filename: string, doc: Document = document): void {
  const url = URL.createObjectURL(blob);
  const link = doc.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  link.style.display = 'none';
  doc.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const INLINED_STYLES = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'visibility',
];

/**
 * A standalone SVG document of an on-page SVG (e.g. a chart's surface): explicit size and namespaces, the
 * computed presentation styles copied inline (so CSS classes and variables survive outside the page), and an
 * optional background.
 */
export function serializeSvg(
  svg: SVGSVGElement,
  background: string | null = '#ffffff',
): { text: string; width: number; height: number } {
  const box = svg.getBoundingClientRect();
  const width = Math.round(box.width || Number(svg.getAttribute('width')) || 0) || 600;
  const height = Math.round(box.height || Number(svg.getAttribute('height')) || 0) || 400;
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const view = svg.ownerDocument.defaultView;
  if (view?.getComputedStyle) {
    const sources = [svg, ...Array.from(svg.querySelectorAll('*'))];
    const targets = [clone, ...Array.from(clone.querySelectorAll('*'))];
    sources.forEach((source, i) => {
      const style = view.getComputedStyle(source);
      const target = targets[i] as SVGElement;
      for (const property of INLINED_STYLES) {
        const value = style.getPropertyValue(property);
        if (value && !target.style.getPropertyValue(property)) target.style.setProperty(property, value);
      }
    });
  }
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('xmlns:xlink', 'http://www.w3.org/1999/xlink');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  if (!clone.getAttribute('viewBox')) clone.setAttribute('viewBox', `0 0 ${width} ${height}`);
  if (background) {
    const rect = svg.ownerDocument.createElementNS('http://www.w3.org/2000/svg', 'rect');
    rect.setAttribute('width', '100%');
    rect.setAttribute('height', '100%');
    rect.setAttribute('fill', background);
    clone.insertBefore(rect, clone.firstChild);
  }
  return { text: new XMLSerializer().serializeToString(clone), width, height };
}

/** Renders an on-page SVG chart to a PNG blob (via an Image and a canvas), at `scale`× for sharp slides. */
export async function svgToPngBlob(
  svg: SVGSVGElement,
  options: { scale?: number; background?: string | null } = {},
): Promise<Blob> {
  const { text, width, height } = serializeSvg(svg, options.background ?? '#ffffff');
  return svgTextToPngBlob(text, {
    width,
    height,
    scale: options.scale,
    doc: svg.ownerDocument,
    what: 'the chart',
  });
}

/**
 * Draws serialized SVG (`text`, `width` × `height` CSS px) onto a canvas at `scale`× and encodes it as PNG. `what`
 * names the picture in the error when the browser cannot draw it.
 */
export async function svgTextToPngBlob(
  text: string,
  options: { width: number; height: number; scale?: number; doc?: Document; what: string },
): Promise<Blob> {
  const scale = options.scale ?? 2;
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    const image = new Image();
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error(`${options.what} could not be drawn as an image`));
      image.src = url;
    });
    const canvas = (options.doc ?? document).createElement('canvas');
    canvas.width = Math.round(options.width * scale);
    canvas.height = Math.round(options.height * scale);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('this browser has no 2-D canvas');
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob(
        (blob) => (blob ? resolve(blob) : reject(new Error('the PNG could not be encoded'))),
        'image/png',
      ),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * The chart's drawing surface inside `container`: its largest SVG (an icon beside it is smaller). Null when there
 * is none.
 */
export function findChartSvg(container: Element): SVGSVGElement | null {
  let best: SVGSVGElement | null = null;
  let bestArea = -1;
  for (const svg of Array.from(container.querySelectorAll('svg'))) {
    const box = svg.getBoundingClientRect();
    const area =
      box.width * box.height ||
      (Number(svg.getAttribute('width')) || 0) * (Number(svg.getAttribute('height')) || 0);
    if (area > bestArea) {
      best = svg;
      bestArea = area;
    }
  }
  return best;
}

/** Downloads the chart inside `container` as a PNG (its HTML caption and hover readout are not part of the picture). */
export async function downloadChartPng(container: Element, filename: string): Promise<void> {
  const svg = findChartSvg(container);
  if (!svg) throw new Error('there is no chart to save here');
  downloadBlob(await svgToPngBlob(svg), filename, container.ownerDocument);
}
