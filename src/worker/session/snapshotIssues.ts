import { isPlainObject } from '../../engine/config';
import type { ConfigIssue } from '../protocol';

/** Problems with a name → Float32Array map from outside: wrong types, NaN/Infinity (a diverged run's weights). */
function arrayIssues(value: unknown, path: string): ConfigIssue[] {
  if (!isPlainObject(value)) return [{ path, message: 'missing' }];
  const issues: ConfigIssue[] = [];
  for (const [name, array] of Object.entries(value)) {
    if (!(array instanceof Float32Array))
      issues.push({ path: `${path}.${name}`, message: 'must be a Float32Array' });
    else if (!array.every(Number.isFinite))
      issues.push({
        path: `${path}.${name}`,
        message: 'holds NaN/Infinity (a diverged run cannot be resumed)',
      });
  }
  return issues;
}

/** Structural checks on a snapshot from outside (IndexedDB, a file); the config is validated separately. */
export function snapshotIssues(snapshot: unknown): ConfigIssue[] {
  if (!isPlainObject(snapshot)) return [{ path: 'snapshot', message: 'must be an object' }];
  const issues: ConfigIssue[] = [];
  if (snapshot.version !== 1)
    issues.push({ path: 'snapshot.version', message: `unsupported version ${String(snapshot.version)}` });
  if (!Number.isInteger(snapshot.step) || (snapshot.step as number) < 0) {
    issues.push({ path: 'snapshot.step', message: 'must be a non-negative integer' });
  }
  issues.push(...arrayIssues(snapshot.parameters, 'snapshot.parameters'));
  const optimizer = snapshot.optimizer;
  if (!isPlainObject(optimizer)) issues.push({ path: 'snapshot.optimizer', message: 'missing' });
  else {
    if (!Number.isInteger(optimizer.step) || (optimizer.step as number) < 0)
      issues.push({ path: 'snapshot.optimizer.step', message: 'must be a non-negative integer' });
    issues.push(...arrayIssues(optimizer.firstMoments, 'snapshot.optimizer.firstMoments'));
    issues.push(...arrayIssues(optimizer.secondMoments, 'snapshot.optimizer.secondMoments'));
  }
  if (snapshot.regularizers !== undefined && !isPlainObject(snapshot.regularizers))
    issues.push({ path: 'snapshot.regularizers', message: 'must be an object' });
  if (!Array.isArray(snapshot.history))
    issues.push({ path: 'snapshot.history', message: 'must be an array' });
  else if (!snapshot.history.every((r: unknown) => isPlainObject(r) && Number.isInteger(r.step)))
    issues.push({
      path: 'snapshot.history',
      message: 'every record must be an object with a whole-number step',
    });
  if (!Array.isArray(snapshot.events)) issues.push({ path: 'snapshot.events', message: 'must be an array' });
  else if (
    !snapshot.events.every(
      (e: unknown) => isPlainObject(e) && Number.isInteger(e.step) && typeof e.path === 'string',
    )
  )
    issues.push({ path: 'snapshot.events', message: 'every event must have a whole-number step and a path' });
  if (typeof snapshot.batchEpoch !== 'number' || !Number.isInteger(snapshot.batchEpoch))
    issues.push({ path: 'snapshot.batchEpoch', message: 'must be a whole number' });
  if (!isPlainObject(snapshot.config)) issues.push({ path: 'snapshot.config', message: 'missing' });
  return issues;
}
