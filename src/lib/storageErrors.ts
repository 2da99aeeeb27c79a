/**
 * Storage errors in words a class can act on. IndexedDB's own ("The requested version (1) is less than the
 * existing version (2)") says what the database did, not what happened or what to do.
 */

/** The database was upgraded by a newer lab (another tab, or a newer deploy this page predates). */
export function isVersionError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'VersionError';
}

/** `what` (e.g. "saved runs") in this browser were written by a newer lab: say so, and what to do. */
export function newerVersionMessage(what: string): string {
  return (
    `The ${what} in this browser were written by a newer version of the lab, which this page cannot read. ` +
    'Reload the page to get the newer version (if the lab is open in other tabs, reload those too). ' +
    'Nothing was deleted.'
  );
}
