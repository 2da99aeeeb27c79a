/**
 * What is wrong with data from outside (a file, IndexedDB, another thread), for a teacher: zod issues as
 * "path: what is wrong", at most MAX_PROBLEMS of them, and lists that stop being checked past that many.
 */
import { z } from 'zod';

/** Problems shown at most (a damaged file can have thousands); a list stops being checked past this many. */
export const MAX_PROBLEMS = 20;

export interface Problem {
  /** e.g. "run.history[3].testAccuracy". */
  path: string;
  message: string;
}

/** A value as a message names it: short text quoted, numbers as they are, "a list" or "an object". */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value);
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'a list' : 'an object';
}

/**
 * A list whose items are checked one by one, stopping once MAX_PROBLEMS problems are found, so a file with
 * 100 000 broken evaluations is refused in the time of a few. `ordered`: steps must not go backwards.
 */
export function listOf<T extends z.ZodType>(item: T, notAList: string, ordered = false) {
  return z.array(z.unknown(), { error: notAList }).transform((items, context) => {
    const checked: z.output<T>[] = new Array<z.output<T>>(items.length);
    let found = 0;
    let previous = -1;
    for (let index = 0; index < items.length && found <= MAX_PROBLEMS; index++) {
      const result = item.safeParse(items[index]);
      if (result.success) checked[index] = result.data;
      else {
        found += result.error.issues.length;
        for (const issue of result.error.issues)
          context.issues.push({ ...issue, path: [index, ...issue.path] } as z.core.$ZodRawIssue);
      }
      const step = (items[index] as { step?: unknown } | null)?.step;
      if (!ordered || !Number.isInteger(step) || (step as number) < 0) continue;
      if ((step as number) < previous) {
        found++;
        context.issues.push({
          code: 'custom',
          input: step,
          path: [index, 'step'],
          message: `${step as number} comes after step ${previous}: evaluations out of order`,
        });
      } else previous = step as number;
    }
    return checked;
  });
}

function joinPath(root: string, path: readonly PropertyKey[]): string {
  let joined = root;
  for (const key of path) {
    if (typeof key === 'number') joined += `[${key}]`;
    else joined += joined ? `.${String(key)}` : String(key);
  }
  return joined;
}

/** zod's issues as problems under `root` ("run", "snapshot", or "" for the value itself). */
export function problemsOf(issues: readonly z.core.$ZodIssue[], root: string): Problem[] {
  return issues.map((issue) => {
    const path = joinPath(root, issue.path);
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((key) => joinPath(path, [key]));
      return { path: keys.join(', '), message: `unknown key${keys.length > 1 ? 's' : ''}` };
    }
    return { path, message: issue.message };
  });
}

/** "path: message" lines, at most MAX_PROBLEMS, then how many more there were. */
export function formatProblems(problems: readonly Problem[]): string[] {
  const lines = problems
    .slice(0, MAX_PROBLEMS)
    .map((problem) => (problem.path ? `${problem.path}: ${problem.message}` : problem.message));
  if (problems.length > MAX_PROBLEMS) lines.push(`… and ${problems.length - MAX_PROBLEMS} more problems`);
  return lines;
}
