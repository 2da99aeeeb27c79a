/**
 * A plain static file server for the hosting e2e specs: it serves a built lab the way a static host does, with
 * no headers at all (GitHub Pages-like) or with the headers of `public/_headers` (the Netlify/Cloudflare recipe,
 * parsed here), and can build the lab into a folder with a given version (a "deployment").
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

/** `public/_headers` as [path pattern, headers]: "/*" lines start a block, indented "Name: value" lines follow. */
export function parseHeadersFile(text: string): [string, Record<string, string>][] {
  const blocks: [string, Record<string, string>][] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) blocks.push([line.trim(), {}]);
    else if (blocks.length > 0) {
      const colon = line.indexOf(':');
      blocks.at(-1)![1][line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
    }
  }
  return blocks;
}

export async function headersFileHeaders(): Promise<Record<string, string>> {
  const blocks = parseHeadersFile(await readFile(join(ROOT, 'public/_headers'), 'utf8'));
  return Object.assign({}, ...blocks.filter(([path]) => path === '/*').map(([, headers]) => headers));
}

export interface StaticHost {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `dir` on `port` under the path `prefix` (a GitHub Pages project site lives at /<repository>/); every
 * response gets `headers` (none: a host that cannot set any).
 */
export async function serveStatic(
  dir: string,
  port: number,
  headers: Record<string, string> = {},
  prefix = '/',
): Promise<StaticHost> {
  const base = resolve(dir);
  const server: Server = createServer((request, response) => {
    const fullPath = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    if (!fullPath.startsWith(prefix)) {
      response.writeHead(404, headers).end('not found');
      return;
    }
    const path = `/${fullPath.slice(prefix.length)}`;
    const file = normalize(join(base, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(base)) {
      response.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => {
        response.writeHead(200, {
          'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
          ...headers,
        });
        response.end(body);
      },
      () => response.writeHead(404, headers).end('not found'),
    );
  });
  await new Promise<void>((done) => server.listen(port, 'localhost', done));
  return {
    url: `http://localhost:${port}${prefix}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/** Builds the lab into `outDir` as version `version` (the update prompt's name for it), for the site path `base`. */
export async function buildLab(outDir: string, version: string, base = '/'): Promise<void> {
  const previous = process.env.GROK_LAB_VERSION;
  process.env.GROK_LAB_VERSION = version;
  try {
    await build({
      root: ROOT,
      configFile: join(ROOT, 'vite.config.ts'),
      logLevel: 'warn',
      base,
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    if (previous === undefined) delete process.env.GROK_LAB_VERSION;
    else process.env.GROK_LAB_VERSION = previous;
  }
}
