import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** JSON as the benches store it: one space of indent, a final newline (diffs of re-runs stay readable). */
export function writeJson(path: string, value: unknown): void {
  writeFileSync(path, JSON.stringify(value, null, 1) + '\n');
}

/** A bench's two result files, `name.json` (the data) and `name.md` (its report), in `dir`, made if missing. */
export function writeResultPair(dir: string, name: string, json: unknown, markdown: string): void {
  mkdirSync(dir, { recursive: true });
  writeJson(join(dir, `${name}.json`), json);
  writeFileSync(join(dir, `${name}.md`), markdown);
}
