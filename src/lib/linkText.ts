/**
 * Where a shareable link keeps its state, for the run's, the race's and the sweep's readers alike: after the '#'
 * (a hash link), else after the '?' (a query link), else the whole input (a bare "key=value&…" string).
 */
export function linkStateText(input: string): string {
  const hashAt = input.indexOf('#');
  if (hashAt >= 0) return input.slice(hashAt + 1);
  const queryAt = input.indexOf('?');
  return queryAt >= 0 ? input.slice(queryAt + 1) : input;
}

/** The raw (still URI-encoded) value of `key=` in a URL, hash or query string; the last one wins; null if absent. */
export function rawLinkParameter(input: string, key: string): string | null {
  let value: string | null = null;
  for (const part of linkStateText(String(input)).split('&')) {
    if (part.startsWith(`${key}=`)) value = part.slice(key.length + 1);
  }
  return value;
}
