import { describe, expect, it } from 'vitest';
import { parseTrainArgs, UsageError } from '../../../scripts/cliArgs';
import { DEFAULT_CONFIG, resolveConfig, formatIssues, type TaskConfig } from '../config';
import { TaskError } from './dataset';
import { buildModularDataset } from './modular';

/** Issue 17, item 5: an operation with no defined cell passed validation, then broke the backend at step 0. */
const issuesOf = (task: Partial<TaskConfig>): string => {
  const result = resolveConfig({ task });
  return result.ok ? '' : formatIssues(result.issues);
};

describe('a task whose table has too few defined cells', () => {
  it('is a validation issue on task.operation naming the expression', () => {
    expect(issuesOf({ operation: 'a/0', modulus: 7 })).toMatch(
      /^task\.operation: .*a\/0.*undefined for every pair/m,
    );
    expect(issuesOf({ operation: 'a%0', modulus: 97 })).toMatch(/task\.operation: .*a%0/);
    expect(issuesOf({ operation: '(a-a)/(b-b)', modulus: 5 })).toMatch(/task\.operation/);
    // One defined cell (a = b = 1 mod 2) cannot be split into a training and a test example.
    expect(issuesOf({ operation: 'a/(a*b)', modulus: 2 })).toMatch(/task\.operation: .*only 1 pair/);
  });

  it('leaves ordinary and partly-defined operations alone', () => {
    expect(issuesOf({ operation: 'a/b', modulus: 97 })).toBe('');
    expect(issuesOf({ operation: 'a%b', modulus: 7 })).toBe('');
    expect(issuesOf({ operation: 'a*b', modulus: 2 })).toBe('');
  });

  it('is refused by the dataset builder too, with a TaskError naming the expression', () => {
    const task = { ...DEFAULT_CONFIG.task, operation: 'a/0', modulus: 7 };
    expect(() => buildModularDataset(task, 0, true)).toThrow(TaskError);
    expect(() => buildModularDataset(task, 0, true)).toThrow(/a \/ 0|a\/0/);
  });

  it('makes the train CLI exit with a usage error (status 2) naming the expression', () => {
    expect(() => parseTrainArgs(['--set', 'task.operation=a/0'])).toThrow(UsageError);
    expect(() => parseTrainArgs(['--set', 'task.operation=a/0'])).toThrow(/task\.operation: .*a\/0/);
  });
});
