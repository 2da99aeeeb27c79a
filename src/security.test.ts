/**
 * Imported files (run JSON, CSV tables, links) are data: nothing in the app turns text into markup or code.
 * A static guard over the shipped sources (tests excluded): no innerHTML/outerHTML/insertAdjacentHTML/
 * document.write, no dangerouslySetInnerHTML, no eval/new Function/string timers, no javascript: URLs.
 * React renders every imported string (run names, CSV names, notices) as text.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('.', import.meta.url));

function sources(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return name === 'testing' ? [] : sources(path);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

const FORBIDDEN: [RegExp, string][] = [
  [/\.(inner|outer)HTML\s*=/, 'assigns innerHTML/outerHTML'],
  [/insertAdjacentHTML|document\.write\(/, 'writes HTML'],
  [/dangerouslySetInnerHTML/, 'uses dangerouslySetInnerHTML'],
  [/(^|[^.\w])eval\(|new Function\(/, 'evaluates code'],
  [/set(Timeout|Interval)\(\s*['"`]/, 'passes a string to a timer'],
  [/javascript:/i, 'builds a javascript: URL'],
  [/createContextualFragment|DOMParser/, 'parses markup'],
];

describe('no markup or code from data', () => {
  const files = sources(ROOT);

  it('finds the sources', () => {
    expect(files.length).toBeGreaterThan(30);
  });

  it.each(FORBIDDEN)('no source %s', (pattern, what) => {
    const offenders = files.filter((file) => pattern.test(readFileSync(file, 'utf8')));
    expect(offenders.map((file) => `${relative(ROOT, file)} ${what}`)).toEqual([]);
  });
});
