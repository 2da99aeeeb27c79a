import { getPath, type Config } from './config';
import { leafPaths } from './plainObjects';
import type { ConfigEvent } from './records';

/**
 * The events a live change records: one per leaf the patch names whose value really changed, labelled with its
 * regularizer's id (or "optimizer" / "training" for those sections), so charts can mark it and a run replay it.
 * `patch` is read for its leaves only (whatever its shape); `before` null (no config yet): every named leaf changed.
 */
export function configEvents(
  before: Config | null,
  after: Config,
  patch: unknown,
  step: number,
): ConfigEvent[] {
  return leafPaths(patch).flatMap((path) => {
    const from = getPath(before, path);
    const to = getPath(after, path);
    if (from === to) return [];
    const [section, id] = path.split('.');
    return [{ step, regularizer: section === 'regularizers' ? id : section, path, from, to }];
  });
}
