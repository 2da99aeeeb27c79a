/**
 * The lab's state in a shareable link: `#c=<diff>&s=<schedule>&preset=<name>&classroom=1`.
 *
 * - `c`: the run's starting config as the JSON diff from the base config (the preset's, or DEFAULT_CONFIG),
 *   base64url-encoded. A link with only `preset=mlp` opens that preset.
 * - `s`: the schedule, config changes to replay mid-run, as JSON `[[step, "dotted.path", value], …]`, base64url.
 * - `classroom=1`: the classroom layout.
 * - An uploaded table too large to travel inline (over TABLE_INLINE_LIMIT) appears in `c` as a reference,
 *   `task.table = {name, sha256, pairs}`, to its copy in this browser's IndexedDB (tableStore.ts); decoding takes the
 *   tables it could find and names the ones it could not.
 *
 * Decoding never throws: whatever is wrong with a link is dropped and named in `notices`, and the rest opens.
 */
import {
  DEFAULT_CONFIG,
  deepMerge,
  getPath,
  patchFromPath,
  validateConfig,
  type Config,
  type ConfigIssue,
} from '../engine/config';
import { isPlainObject } from '../engine/plainObjects';
import { isPresetName, PRESETS, type PresetName } from '../engine/presets';
import { linkStateText } from './linkText';
import type { ConfigEvent } from '../engine/records';

export interface UrlState {
  /** The config the run starts with. */
  config: Config;
  /** Changes to apply when the run reaches each step, in step order. */
  schedule: ConfigEvent[];
  classroom: boolean;
  preset: PresetName | null;
}

/** An uploaded operation table as the config holds it. */
export type UploadedTable = NonNullable<Config['task']['table']>;

/** What a link carries instead of a large table: enough to find it again, and to name it when it is missing. */
export interface TableRef {
  name: string;
  /** Hex SHA-256 of the table's content (tableStore.ts tableDigest). */
  sha256: string;
  pairs: number;
}

/** Tables whose rows take more than this many characters of JSON travel by reference (≈ 5 KB of link). */
export const TABLE_INLINE_LIMIT = 4000;

export function tableNeedsReference(table: UploadedTable): boolean {
  // Each value takes at least 2 characters ("0,"); only count exactly when the table is near the limit.
  return table.rows.length * 2 > TABLE_INLINE_LIMIT || JSON.stringify(table.rows).length > TABLE_INLINE_LIMIT;
}

function isTableRef(value: unknown): value is TableRef {
  return (
    isPlainObject(value) &&
    !('rows' in value) &&
    typeof value.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(value.sha256) &&
    typeof value.name === 'string' &&
    typeof value.pairs === 'number' &&
    Number.isInteger(value.pairs) &&
    value.pairs >= 0
  );
}

export interface DecodedUrlState extends UrlState {
  /** Plain-language notes on what the link got wrong and what was done instead; empty for a good link. */
  notices: string[];
}

/** Longest link state we read (a hand-edited or truncated link is far shorter; anything longer is junk). */
export const MAX_URL_STATE_LENGTH = 100_000;
export const MAX_SCHEDULE_LENGTH = 500;
/** Top-level config sections that may change mid-run (the trainer's live sections). */
const LIVE_SECTIONS = ['regularizers', 'optimizer', 'training'];
const MAX_STEP = 10_000_000;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// --- base64url ---------------------------------------------------------------------------------------------

export function encodeBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Throws on characters outside the base64url alphabet, an impossible length or invalid UTF-8. */
export function decodeBase64Url(encoded: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(encoded)) throw new Error('contains characters that are not base64url');
  if (encoded.length % 4 === 1) throw new Error('has an impossible length (truncated?)');
  const padded = encoded.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (encoded.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

// --- config diff -------------------------------------------------------------------------------------------

/**
 * The smallest patch that turns `base` into `target` under deepMerge: nested objects are compared key by key,
 * anything else replaces. Undefined when they are equal.
 */
export function configDiff(base: unknown, target: unknown): Json | undefined {
  if (isPlainObject(base) && isPlainObject(target)) {
    const diff: Record<string, Json> = {};
    for (const [key, value] of Object.entries(target)) {
      const child = key in base ? configDiff(base[key], value) : (value as Json);
      if (child !== undefined) diff[key] = child;
    }
    return Object.keys(diff).length > 0 ? diff : undefined;
  }
  return JSON.stringify(base) === JSON.stringify(target) ? undefined : (target as Json);
}

/** DEFAULT_CONFIG overlaid with a preset's config. */
export function presetConfig(preset: PresetName | null): Config {
  if (preset === null) return DEFAULT_CONFIG;
  const result = validateConfig(deepMerge(DEFAULT_CONFIG, PRESETS[preset].config));
  return result.ok ? result.config : DEFAULT_CONFIG;
}

// --- encode ------------------------------------------------------------------------------------------------

export interface EncodableState {
  config: Config;
  schedule?: readonly Pick<ConfigEvent, 'step' | 'path' | 'to'>[];
  classroom?: boolean;
  preset?: PresetName | null;
}

export interface EncodeOptions {
  /** The stored copy of a table too large to travel inline (tableStore.ts saveTable); null keeps it inline. */
  tableRef?(table: UploadedTable): TableRef | null;
}

/** The link state without a leading '#', e.g. "preset=mlp&c=eyJzZWVkIjo0Mn0". */
export function encodeUrlState(state: EncodableState, options: EncodeOptions = {}): string {
  const preset = state.preset ?? null;
  const parts: string[] = [];
  if (preset !== null) parts.push(`preset=${preset}`);
  const diff = configDiff(presetConfig(preset), state.config);
  const table = state.config.task.table;
  if (
    table &&
    tableNeedsReference(table) &&
    isPlainObject(diff) &&
    isPlainObject(diff.task) &&
    diff.task.table
  ) {
    const ref = options.tableRef?.(table);
    if (ref) diff.task.table = { name: ref.name, sha256: ref.sha256, pairs: ref.pairs };
  }
  if (diff !== undefined) parts.push(`c=${encodeBase64Url(JSON.stringify(diff))}`);
  const schedule = state.schedule ?? [];
  if (schedule.length > 0) {
    const entries = [...schedule]
      .sort((x, y) => x.step - y.step)
      .map((event) => [event.step, event.path, event.to]);
    parts.push(`s=${encodeBase64Url(JSON.stringify(entries))}`);
  }
  if (state.classroom) parts.push('classroom=1');
  return parts.join('&');
}

/** "#…" for `location.hash` (just "#" … or "" when everything is default). */
export function urlStateToHash(state: EncodableState, options: EncodeOptions = {}): string {
  const encoded = encodeUrlState(state, options);
  return encoded ? `#${encoded}` : '';
}

// --- decode ------------------------------------------------------------------------------------------------

function describeIssues(issues: readonly ConfigIssue[]): string {
  return issues.map((issue) => `${issue.path || 'config'}: ${issue.message}`).join('; ');
}

/**
 * Deletes `path` from a nested patch or, when the patch does not set it (a cross-field rule such as "heads must
 * divide dModel"), the deepest section of it that the patch does set. Returns what was removed, or null.
 */
function removeFromPatch(patch: Record<string, unknown>, path: string): string | null {
  const keys = path.split('.').filter(Boolean);
  let node: Record<string, unknown> = patch;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (!Object.prototype.hasOwnProperty.call(node, key)) {
      return i === 0 ? null : removeFromPatch(patch, keys.slice(0, i).join('.'));
    }
    const child = node[key];
    if (i === keys.length - 1 || !isPlainObject(child)) {
      delete node[key];
      return keys.slice(0, i + 1).join('.');
    }
    node = child;
  }
  return null;
}

/** Overlays the patch on base; drops the settings that make it invalid (each named in a notice). */
function resolveSalvaging(base: Config, patch: unknown, notices: string[]): Config {
  if (!isPlainObject(patch)) {
    notices.push('The link’s settings (c=) are not a JSON object; opened the default settings.');
    return base;
  }
  const working = structuredClone(patch);
  for (let attempt = 0; attempt < 20; attempt++) {
    const result = validateConfig(deepMerge(base, working));
    if (result.ok) return result.config;
    let removed = false;
    for (const issue of result.issues) {
      for (const path of issue.path.split(', ')) {
        const dropped = removeFromPatch(working, path);
        if (dropped === null) continue;
        removed = true;
        notices.push(
          dropped === path
            ? `Ignored the link’s setting ${path}: ${issue.message}.`
            : `Ignored the link’s ${dropped} settings (${path}: ${issue.message}).`,
        );
      }
    }
    if (!removed) {
      notices.push(
        `The link’s settings are invalid (${describeIssues(result.issues)}); opened the default settings.`,
      );
      return base;
    }
  }
  notices.push('The link’s settings could not be repaired; opened the default settings.');
  return base;
}

function isScalar(value: unknown): value is number | string | boolean {
  return typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean';
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

function describeValue(value: unknown): string {
  return shorten(JSON.stringify(value) ?? String(value));
}

function decodeSchedule(entries: unknown, config: Config, notices: string[]): ConfigEvent[] {
  if (!Array.isArray(entries)) {
    notices.push('The link’s schedule (s=) is not a list; it was ignored.');
    return [];
  }
  if (entries.length > MAX_SCHEDULE_LENGTH) {
    notices.push(
      `The link’s schedule has ${entries.length} changes; only the first ${MAX_SCHEDULE_LENGTH} were kept.`,
    );
  }
  const parsed: { step: number; path: string; to: number | string | boolean; index: number }[] = [];
  entries.slice(0, MAX_SCHEDULE_LENGTH).forEach((entry: unknown, index) => {
    const label = `schedule entry ${index + 1}`;
    if (!Array.isArray(entry) || entry.length !== 3) {
      notices.push(`Ignored ${label}: expected [step, setting, value].`);
      return;
    }
    const [step, path, to] = entry as unknown[];
    if (typeof step !== 'number' || !Number.isInteger(step) || step < 0 || step > MAX_STEP) {
      notices.push(`Ignored ${label}: step ${describeValue(step)} is not a whole number in 0..${MAX_STEP}.`);
      return;
    }
    if (typeof path !== 'string' || !LIVE_SECTIONS.includes(path.split('.')[0])) {
      notices.push(
        `Ignored ${label}: ${describeValue(path)} is not a setting that can change mid-run (${LIVE_SECTIONS.join(', ')}).`,
      );
      return;
    }
    if (!isScalar(getPath(config, path))) {
      notices.push(`Ignored ${label}: there is no setting ${describeValue(path)}.`);
      return;
    }
    if (!isScalar(to)) {
      notices.push(`Ignored ${label}: the value for ${path} must be a number, text or true/false.`);
      return;
    }
    parsed.push({ step, path, to, index });
  });
  parsed.sort((x, y) => x.step - y.step || x.index - y.index);
  // Replay in order: each change must leave a valid config; `from` is the value just before it.
  const events: ConfigEvent[] = [];
  let current = config;
  for (const { step, path, to, index } of parsed) {
    const result = validateConfig(deepMerge(current, patchFromPath(path, to)));
    if (!result.ok) {
      notices.push(
        `Ignored schedule entry ${index + 1} (step ${step}, ${path} = ${describeValue(to)}): ${describeIssues(result.issues)}.`,
      );
      continue;
    }
    const [section, id] = path.split('.');
    events.push({
      step,
      regularizer: section === 'regularizers' ? id : section,
      path,
      from: getPath(current, path),
      to,
    });
    current = result.config;
  }
  return events;
}

function parseJsonParameter(name: string, what: string, value: string, notices: string[]): unknown {
  let text: string;
  try {
    text = decodeBase64Url(value);
  } catch (error) {
    notices.push(
      `The link’s ${what} (${name}=) ${error instanceof Error ? error.message : 'is not base64url'}; it was ignored.`,
    );
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch (_error) {
    notices.push(`The link’s ${what} (${name}=) is not valid JSON (truncated link?); it was ignored.`);
    return undefined;
  }
  // Everything after this (structuredClone, deepMerge, the diff) recurses: a hostile link nested thousands deep
  // would overflow the stack there. JSON.parse itself copes.
  if (exceedsDepth(parsed, MAX_JSON_DEPTH)) {
    const plural = what === 'settings';
    notices.push(
      `The link’s ${what} (${name}=) could not be read: ${plural ? 'they are' : 'it is'} nested deeper than ${MAX_JSON_DEPTH} levels; ${plural ? 'they were' : 'it was'} ignored.`,
    );
    return undefined;
  }
  return parsed;
}

/** Deeper than any config (regularizers.radial.lambda is 3) or schedule value needs. */
const MAX_JSON_DEPTH = 32;

/** Whether arrays/objects nest deeper than `limit`; iterative, so any depth is safe to ask about. */
function exceedsDepth(root: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return false;
}

function defaults(notices: string[]): DecodedUrlState {
  return { config: DEFAULT_CONFIG, schedule: [], classroom: false, preset: null, notices };
}

/** The link's key=value pairs (the last of a repeated key wins, noted in `notices`). */
function linkParameters(text: string, notices: string[]): Map<string, string> {
  const parameters = new Map<string, string>();
  for (const part of text.split('&')) {
    if (!part) continue;
    const equals = part.indexOf('=');
    const key = equals >= 0 ? part.slice(0, equals) : part;
    let value = equals >= 0 ? part.slice(equals + 1) : '';
    try {
      value = decodeURIComponent(value);
    } catch (_error) {
      // keep it raw; the checks below name what is wrong with it
    }
    if (parameters.has(key)) notices.push(`The link sets ${key}= more than once; the last one was used.`);
    parameters.set(key, value);
  }
  return parameters;
}

/** The stored tables a link refers to (none for a link with its table inline, or a broken one). Never throws. */
export function tableRefsInLink(input: string): TableRef[] {
  try {
    const text = linkStateText(String(input));
    if (text.length > MAX_URL_STATE_LENGTH) return [];
    const configText = linkParameters(text, []).get('c');
    const patch = configText === undefined ? undefined : parseJsonParameter('c', 'settings', configText, []);
    const table = isPlainObject(patch) && isPlainObject(patch.task) ? patch.task.table : undefined;
    return isTableRef(table) ? [table] : [];
  } catch (_error) {
    return [];
  }
}

/** "66 049": the lab's digit grouping. */
function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/**
 * Puts a referenced table back into the patch from `tables`; when this device lacks it, names it and drops it
 * (with the patch's task.kind "table", which cannot stand without one), so the rest of the link still opens.
 */
function resolveTableRef(
  patch: unknown,
  tables: ReadonlyMap<string, UploadedTable>,
  notices: string[],
): void {
  if (!isPlainObject(patch) || !isPlainObject(patch.task) || !isTableRef(patch.task.table)) return;
  const task = patch.task;
  const ref = patch.task.table as TableRef;
  const table = tables.get(ref.sha256);
  if (table) {
    task.table = { name: table.name, rows: table.rows };
    return;
  }
  notices.push(
    `This link’s table “${shorten(ref.name)}” (${groupDigits(ref.pairs)} rows, sha256 ${ref.sha256.slice(0, 8)}…) is not saved on this device; upload the CSV again.`,
  );
  delete task.table;
  if (task.kind === 'table') delete task.kind;
}

export interface DecodeOptions {
  /** Stored tables by SHA-256, for links that refer to one (tableStore.ts decodeLink looks them up). */
  tables?: ReadonlyMap<string, UploadedTable>;
}

/**
 * Reads a link: a full URL, `location.hash`, `location.search` or the bare "c=…&s=…" text.
 * Never throws; anything wrong is skipped and explained in `notices`.
 */
export function decodeUrlState(input: string, options: DecodeOptions = {}): DecodedUrlState {
  const notices: string[] = [];
  try {
    const text = linkStateText(String(input));
    if (text.length > MAX_URL_STATE_LENGTH) {
      notices.push(`The link is too long (${text.length} characters); opened the default lab.`);
      return defaults(notices);
    }
    const parameters = linkParameters(text, notices);

    let preset: PresetName | null = null;
    const presetName = parameters.get('preset');
    if (presetName !== undefined) {
      if (isPresetName(presetName)) preset = presetName;
      else {
        notices.push(
          `The link names an unknown preset “${shorten(presetName)}” (known: ${Object.keys(PRESETS).join(', ')}); opened the default settings.`,
        );
      }
    }
    const base = presetConfig(preset);

    let config = base;
    const configText = parameters.get('c');
    if (configText !== undefined) {
      const patch = parseJsonParameter('c', 'settings', configText, notices);
      resolveTableRef(patch, options.tables ?? new Map(), notices);
      if (patch !== undefined) config = resolveSalvaging(base, patch, notices);
    }

    let schedule: ConfigEvent[] = [];
    const scheduleText = parameters.get('s');
    if (scheduleText !== undefined) {
      const entries = parseJsonParameter('s', 'schedule', scheduleText, notices);
      if (entries !== undefined) schedule = decodeSchedule(entries, config, notices);
    }

    let classroom = false;
    const classroomText = parameters.get('classroom');
    if (classroomText !== undefined) {
      if (classroomText === '1' || classroomText === '' || classroomText === 'true') classroom = true;
      else if (classroomText !== '0' && classroomText !== 'false') {
        notices.push(`The link’s classroom=${shorten(classroomText)} is not 1 or 0; classroom mode is off.`);
      }
    }
    return { config, schedule, classroom, preset, notices };
  } catch (error) {
    // Defensive: nothing above should throw, but a link must never break the page.
    notices.push(
      `The link could not be read (${error instanceof Error ? error.message : String(error)}); opened the default lab.`,
    );
    return defaults(notices);
  }
}
