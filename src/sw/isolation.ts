/**
 * The response headers that make a document cross-origin isolated (SharedArrayBuffer, hence wasm threads):
 * what a host would send, added by the service worker where the host cannot.
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * A copy of the response with the isolation headers set (others kept). Opaque responses (status 0, from
 * no-cors cross-origin requests) cannot be read or rebuilt and are returned as they are.
 */
export function withIsolationHeaders(response: Response): Response {
  if (response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
