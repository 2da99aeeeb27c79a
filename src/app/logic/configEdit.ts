import {
  deepMerge,
  getPath,
  patchFromPath,
  validateConfig,
  type Config,
  type ConfigIssue,
} from '../../engine/config';
import { leafPaths } from '../../engine/plainObjects';
import { isLivePath, pendingChangeLabel } from './fields';

/** Issues by dotted path ("task.modulus"); an issue naming several keys is filed under each. */
export type IssueMap = Record<string, string>;

export function issueMap(issues: readonly ConfigIssue[]): IssueMap {
  const map: IssueMap = {};
  for (const issue of issues) {
    for (const path of issue.path.split(', '))
      map[path] = map[path] ? `${map[path]}; ${issue.message}` : issue.message;
  }
  return map;
}

/** The issues of a (possibly invalid) draft config. */
export function draftIssues(draft: Config): IssueMap {
  const result = validateConfig(draft);
  return result.ok ? {} : issueMap(result.issues);
}

/**
 * Why a draft cannot run, field by field as the controls name them ("Operation: unexpected U+200B at position 2 …"),
 * or null when it can.
 */
export function draftProblem(draft: Config): string | null {
  const result = validateConfig(draft);
  if (result.ok) return null;
  const field = (path: string) => path.split(', ').map(pendingChangeLabel).join(', ') || 'Settings';
  return result.issues.map((issue) => `${field(issue.path)}: ${issue.message}`).join('; ');
}

/** A copy of `config` with one dotted key set. */
export function withPath(config: Config, path: string, value: unknown): Config {
  return deepMerge(config, patchFromPath(path, value));
}

/**
 * Structural equality of config values: arrays and plain objects compare element by element. Configs cross the
 * worker boundary by structured clone, so an array field (an uploaded table's rows) comes back as a new array that
 * is equal in value; comparing by identity would report it as changed forever.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  const aKeys = Object.keys(a);
  const bRecord = b as Record<string, unknown>;
  if (aKeys.length !== Object.keys(b).length) return false;
  const aRecord = a as Record<string, unknown>;
  return aKeys.every((key) => key in bRecord && sameValue(aRecord[key], bRecord[key]));
}

/** Leaves where `to` differs in value from `from` (an array is one leaf, compared element by element). */
export function changedPaths(from: Config, to: Config): string[] {
  return leafPaths(to).filter((path) => !sameValue(getPath(from, path), getPath(to, path)));
}

/** Changed fields that a running trainer cannot take (task, model, seed): they wait for a reset. */
export function fixedChanges(applied: Config, draft: Config): string[] {
  return changedPaths(applied, draft).filter((path) => !isLivePath(path));
}

/** The patch for update(): every live field (regularizers, optimizer, training) where the draft differs. */
export function livePatch(applied: Config, draft: Config): Record<string, unknown> | null {
  const paths = changedPaths(applied, draft).filter(isLivePath);
  if (paths.length === 0) return null;
  return paths.reduce<Record<string, unknown>>(
    (patch, path) => deepMerge(patch, patchFromPath(path, getPath(draft, path))),
    {},
  );
}
