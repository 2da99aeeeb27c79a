import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { formatSteps } from '../src/lib/censored';
import type { ExpandedSweep, SweepCell } from '../src/lib/sweep/cells';
import { formatKnobValue } from '../src/lib/sweep/heatmap';
import { formatShard, selectShard } from '../src/lib/sweep/shard';
import { describeSweepSize, sweepSize } from '../src/lib/sweep/size';
import { UsageError } from './cliArgs';
import { parseSweepArgs, planSweep, type SweepArgs } from './sweepArgs';
import { cellPath, mergeFolder, readOutcomes, readSpec, writeSpec } from './sweepFiles';
import { fromChildSchema, type FromChild, type ToChild } from './sweepProtocol';

/**
 * `npm run sweep`: runs a sweep's cells headless (this shard's, skipping those already stored) in child
 * processes, one wasm engine each, then merges every cell in the output folder into heatmap.svg, table.md,
 * cost.md and cells.json.
 */

const CHILD = fileURLToPath(new URL('./sweepChild.ts', import.meta.url));

type Done = Extract<FromChild, { type: 'done' }>;

function describeCell(sweep: ExpandedSweep, cell: SweepCell): string {
  const short = (key: string): string => key.split('.').slice(-2).join('.');
  return `${short(sweep.spec.x.key)}=${formatKnobValue(cell.xValue)} ${short(sweep.spec.y.key)}=${formatKnobValue(cell.yValue)} seed ${cell.seed}`;
}

/** Runs `cells` on `workers` child processes; resolves with the finished ones and the errors of the failed ones. */
async function runCells(
  sweep: ExpandedSweep,
  cells: readonly SweepCell[],
  args: SweepArgs,
): Promise<{ done: Done[]; failed: { cell: SweepCell; error: string }[] }> {
  const queue = [...cells];
  const done: Done[] = [];
  const failed: { cell: SweepCell; error: string }[] = [];
  const log = (line: string): void => {
    if (!args.quiet) console.log(line);
  };
  const startChild = (): Promise<void> =>
    new Promise((resolve) => {
      let current: SweepCell | null = null;
      let ready = false;
      const child: ChildProcess = fork(CHILD, [], {
        execArgv: ['--import', 'tsx'],
        serialization: 'json',
      });
      const next = (): void => {
        current = queue.shift() ?? null;
        if (current === null) {
          child.send({ type: 'exit' } satisfies ToChild);
          return;
        }
        child.send({
          type: 'run',
          id: current.id,
          config: current.config,
          file: cellPath(args.out, current.id),
          cell: {
            id: current.id,
            x: { key: sweep.spec.x.key, value: current.xValue },
            y: { key: sweep.spec.y.key, value: current.yValue },
            seed: current.seed,
          },
          historyPoints: args.historyPoints,
        } satisfies ToChild);
      };
      child.on('message', (raw: unknown) => {
        const message = fromChildSchema.parse(raw);
        switch (message.type) {
          case 'ready':
            ready = true;
            next();
            break;
          case 'progress':
            if (current)
              log(
                `  … ${describeCell(sweep, current)}: step ${message.step}, test ${Math.round(100 * message.testAccuracy)}%`,
              );
            break;
          case 'done': {
            done.push(message);
            const outcome =
              message.stepsToGrok !== null
                ? `grokked at ${formatSteps(message.stepsToGrok)}`
                : `${message.stoppedBecause} at ${formatSteps(message.finalStep)} (test ${(100 * message.finalTestAccuracy).toFixed(1)}%)`;
            log(
              `[${done.length + failed.length}/${cells.length}] ${describeCell(sweep, current!)}: ${outcome} · ` +
                `${(message.wallMs / 1000).toFixed(1)} s wall, ${(message.cpuMs / 1000).toFixed(1)} s CPU, ${message.msPerStep.toFixed(1)} ms/step · load ${loadavg()[0].toFixed(1)}`,
            );
            next();
            break;
          }
          case 'failed':
            failed.push({ cell: current!, error: message.error });
            console.error(
              `[${done.length + failed.length}/${cells.length}] ${describeCell(sweep, current!)} failed: ${message.error}`,
            );
            next();
            break;
        }
      });
      child.on('exit', (code) => {
        if (!ready) {
          console.error(`a sweep child process exited with code ${code} before it was ready`);
          resolve();
          return;
        }
        if (
          current !== null &&
          !done.some((d) => d.id === current!.id) &&
          !failed.some((f) => f.cell === current)
        ) {
          failed.push({ cell: current, error: `child process exited with code ${code}` });
          console.error(`${describeCell(sweep, current)}: child process exited with code ${code}`);
          // A crashed child takes only its own cell with it: the rest of the queue goes to a new one.
          if (queue.length > 0) {
            void startChild().then(resolve);
            return;
          }
        }
        resolve();
      });
    });
  const count = Math.max(1, Math.min(args.workers, queue.length));
  await Promise.all(Array.from({ length: count }, startChild));
  return { done, failed };
}

async function main(): Promise<void> {
  const args = parseSweepArgs(process.argv.slice(2), process.env);
  const sweep = args.sweep ?? planSweep(readSpec(args.out), args.workers);
  const shardCells = selectShard(sweep.cells, args.shard);
  const stored = readOutcomes(args.out).outcomes;
  const todo = shardCells.filter((cell) => !stored.has(cell.id));
  if (args.list) {
    for (const cell of sweep.cells) {
      const mine = shardCells.includes(cell);
      console.log(
        `${cell.id}  ${describeCell(sweep, cell)}  ${!mine ? 'other shard' : stored.has(cell.id) ? 'done' : 'todo'}`,
      );
    }
    return;
  }
  let failures = 0;
  if (!args.merge) {
    mkdirSync(args.out, { recursive: true });
    writeSpec(args.out, sweep.spec);
    console.log(
      `${sweep.spec.title ?? 'sweep'}: ${describeSweepSize(sweepSize(sweep.spec), args.workers)}, ` +
        `shard ${formatShard(args.shard)}: ${shardCells.length}, already stored ${shardCells.length - todo.length}, ` +
        `to run ${todo.length} on ${Math.max(1, Math.min(args.workers, todo.length))} worker(s) · load ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
    );
    const started = performance.now();
    const { done } = await runCells(sweep, todo, args);
    // Cells neither done nor failed were never started (a child that could not start): failures too.
    failures = todo.length - done.length;
    if (todo.length > 0) {
      const minutes = (performance.now() - started) / 60_000;
      console.log(
        `ran ${done.length} cell(s) in ${(minutes * 60).toFixed(1)} s: ${(done.length / minutes).toFixed(2)} cells/min` +
          `${failures ? `, ${failures} failed or not started` : ''} · load ${loadavg()
            .map((l) => l.toFixed(1))
            .join(' ')}`,
      );
    }
  }
  if (!existsSync(args.out)) throw new UsageError(`${args.out} does not exist: nothing to merge`);
  const { grid, unreadable, foreign } = mergeFolder(args.out, sweep);
  for (const { file, error } of unreadable) console.error(`skipped ${file}: ${error}`);
  console.log(
    `merged ${grid.done}/${grid.total} cells into ${args.out}/heatmap.svg, table.md, cost.md, cells.json` +
      `${foreign ? ` (${foreign} cell file(s) of other sweeps ignored)` : ''}`,
  );
  if (failures > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(error instanceof Error ? `error: ${error.message}` : error);
  if (process.env.DEBUG && error instanceof Error) console.error(error.stack);
  process.exit(1);
});
