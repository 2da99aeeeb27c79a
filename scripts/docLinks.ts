/**
 * `npx tsx scripts/docLinks.ts`: every relative link and image in README.md, docs/*.md and bench/README.md must
 * point to a file that exists and, with a `#fragment` into a Markdown file, to one of its headings. Prints each
 * broken link as `file:line: target — why` and exits 1 when there is one. `scripts/docLinks.test.ts` runs the same
 * check in the unit tests.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface MarkdownLink {
  target: string;
  line: number;
}

/** The lines outside fenced code blocks, numbered from 1 (a heading or link inside a fence is not one). */
function linesOutsideFences(markdown: string): { text: string; line: number }[] {
  const lines: { text: string; line: number }[] = [];
  let fence: string | null = null;
  markdown.split('\n').forEach((text, index) => {
    const opening = /^\s*(```|~~~)/.exec(text);
    if (opening) {
      if (fence === null) fence = opening[1];
      else if (opening[1] === fence) fence = null;
    } else if (fence === null) lines.push({ text, line: index + 1 });
  });
  return lines;
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, each space a hyphen. */
export function githubSlug(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link in a heading contributes its text
    .replace(/<[^>]+>/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every heading's anchor, with GitHub's -1, -2 … suffixes for repeated headings. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text } of linesOutsideFences(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text);
    if (!heading) continue;
    const slug = githubSlug(heading[1]);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Inline links and images, `[text](target)` / `![alt](target "title")`, outside code. */
export function markdownLinks(markdown: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  for (const { text, line } of linesOutsideFences(markdown)) {
    // Inline code is blanked: a link shown as code is not a link.
    const prose = text.replace(/`[^`]*`/g, (code) => ' '.repeat(code.length));
    for (const match of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      links.push({ target: match[1], line });
    }
  }
  return links;
}

const EXTERNAL = /^[a-z][a-z0-9+.-]*:/i;

/**
 * The broken relative links of one Markdown file (`path` relative to `root`), each as `path:line: target — why`.
 * `read` returns a file's text, or null when there is no such file or directory ('' for a directory).
 */
export function brokenLinks(path: string, markdown: string, read: (path: string) => string | null): string[] {
  const problems: string[] = [];
  for (const { target, line } of markdownLinks(markdown)) {
    if (EXTERNAL.test(target)) continue;
    const hash = target.indexOf('#');
    const file = hash < 0 ? target : target.slice(0, hash);
    const fragment = hash < 0 ? null : decodeURIComponent(target.slice(hash + 1));
    const resolved = file === '' ? path : join(dirname(path), decodeURIComponent(file));
    const where = `${path}:${line}: ${target}`;
    if (resolved.startsWith('..')) {
      problems.push(`${where} — points outside the repository`);
      continue;
    }
    const text = read(resolved);
    if (text === null) {
      problems.push(`${where} — no file ${resolved}`);
      continue;
    }
    if (fragment !== null && resolved.endsWith('.md') && !headingAnchors(text).has(fragment)) {
      problems.push(`${where} — ${resolved} has no heading with the anchor #${fragment}`);
    }
  }
  return problems;
}

/** The pages checked: the README, every page in docs/, the bench's README. */
export function documentationPages(root: string): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs, 'bench/README.md'];
}

/** Every broken link of the documentation pages under `root`. */
export function repositoryBrokenLinks(root: string): string[] {
  const read = (path: string): string | null => {
    const absolute = resolve(root, path);
    if (!existsSync(absolute)) return null;
    return absolute.endsWith('.md') ? readFileSync(absolute, 'utf8') : '';
  };
  return documentationPages(root).flatMap((page) => brokenLinks(page, read(page) ?? '', read));
}

function main(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const problems = repositoryBrokenLinks(root);
  for (const problem of problems) console.error(problem);
  const pages = documentationPages(root).map((page) => relative(root, resolve(root, page)));
  console.log(`${pages.length} pages checked (${pages.join(', ')}): ${problems.length} broken link(s)`);
  process.exit(problems.length > 0 ? 1 : 0);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
