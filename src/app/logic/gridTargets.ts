import type { TaskConfig } from '../../engine/config';
import { evaluateExpression, parseExpression } from '../../engine/tasks/expression';
import { operationExpression } from '../../engine/tasks/modular';

/**
 * The correct answer of every example of a p×p task (modular expression or uploaded table), computed on the page
 * from the task (InitResult carries the cells but not the answers). Null for other tasks or an unreadable
 * expression.
 */
export function gridTargets(
  task: TaskConfig,
  grid: { size: number; a: Int32Array; b: Int32Array } | null,
): Int32Array | null {
  if (!grid) return null;
  if (task.kind === 'table') return tableTargets(task.table?.rows ?? [], grid);
  if (task.kind !== 'modular') return null;
  try {
    const expression = parseExpression(operationExpression(task.operation));
    const targets = new Int32Array(grid.a.length);
    for (let i = 0; i < targets.length; i++) {
      targets[i] = evaluateExpression(expression, grid.a[i], grid.b[i], grid.size) ?? -1;
    }
    return targets;
  } catch (_error) {
    return null;
  }
}

/** Answers of an uploaded table (flat a, b, result triples), looked up per grid cell; -1 where it has none. */
function tableTargets(
  rows: readonly number[],
  grid: { size: number; a: Int32Array; b: Int32Array },
): Int32Array {
  const answers = new Map<number, number>();
  for (let i = 0; i + 2 < rows.length; i += 3) answers.set(rows[i] * grid.size + rows[i + 1], rows[i + 2]);
  return Int32Array.from(grid.a, (a, i) => answers.get(a * grid.size + grid.b[i]) ?? -1);
}
