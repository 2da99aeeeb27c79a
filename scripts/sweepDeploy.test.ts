import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { selectShard } from '../src/lib/sweep/shard';
import { parseSweepArgs } from './sweepArgs';

/**
 * The scale-out recipes (deploy/k8s, deploy/ci) are checked as data: parsed, their shape checked, and the very
 * arguments they pass run through the sweep's own argument parser for every index, so a shard count that does
 * not match, a wrong variable name or a flag the CLI does not know fails here, not on a cluster.
 */

function documents(path: string): unknown[] {
  return parseAllDocuments(readFileSync(new URL(`../${path}`, import.meta.url), 'utf8')).map((doc) => {
    expect(doc.errors).toEqual([]);
    return doc.toJSON();
  });
}

const container = z.looseObject({
  image: z.string(),
  command: z.array(z.string()),
  args: z.array(z.string()),
  env: z.array(z.strictObject({ name: z.string(), value: z.string() })).optional(),
  volumeMounts: z.array(z.looseObject({ name: z.string(), mountPath: z.string() })),
});
const podTemplate = z.looseObject({
  spec: z.looseObject({
    restartPolicy: z.literal('Never'),
    containers: z.tuple([container]),
    volumes: z.array(
      z.looseObject({ name: z.string(), persistentVolumeClaim: z.object({ claimName: z.string() }) }),
    ),
  }),
});
const indexedJob = z.looseObject({
  apiVersion: z.literal('batch/v1'),
  kind: z.literal('Job'),
  spec: z.looseObject({
    completionMode: z.literal('Indexed'),
    completions: z.number().int().min(1),
    parallelism: z.number().int().min(1),
    template: podTemplate,
  }),
});
const pvc = z.looseObject({
  kind: z.literal('PersistentVolumeClaim'),
  metadata: z.object({ name: z.string() }),
  spec: z.looseObject({ accessModes: z.array(z.string()) }),
});

/** argv after the script: what `npx tsx scripts/sweep.ts ARGS` or `npm run sweep -- ARGS` hands the CLI. */
function sweepArgv(command: readonly string[], args: readonly string[]): string[] {
  expect(command).toEqual(['npx', 'tsx', 'scripts/sweep.ts']);
  return [...args];
}

function allCellIds(argv: readonly string[]): string[] {
  const withoutShard = [...argv];
  const at = withoutShard.findIndex((a) => a === '--shard-from-env' || a === '--shard');
  if (at >= 0) withoutShard.splice(at, 2);
  return parseSweepArgs(withoutShard).sweep!.cells.map((cell) => cell.id);
}

describe('Kubernetes Indexed Job (deploy/k8s/sweep-job.yaml)', () => {
  const docs = documents('deploy/k8s/sweep-job.yaml');
  const job = indexedJob.parse(docs.find((d) => (d as { kind?: string }).kind === 'Job'));
  const claim = pvc.parse(docs.find((d) => (d as { kind?: string }).kind === 'PersistentVolumeClaim'));
  const [pod] = job.spec.template.spec.containers;
  const argv = sweepArgv(pod.command, pod.args);

  it('runs one pod per shard at once: completions = parallelism = the shard count it passes', () => {
    const [indexVar, countVar] = argv[argv.indexOf('--shard-from-env') + 1].split('/');
    expect(indexVar).toBe('JOB_COMPLETION_INDEX');
    const count = pod.env?.find((e) => e.name === countVar)?.value;
    expect(Number(count)).toBe(job.spec.completions);
    expect(job.spec.parallelism).toBe(job.spec.completions);
  });

  it('writes to a shared volume: the output folder is on the mounted claim, which many pods can write', () => {
    const out = argv[argv.indexOf('--out') + 1];
    const mount = pod.volumeMounts.find((m) => out.startsWith(`${m.mountPath}/`));
    expect(mount).toBeDefined();
    const volume = job.spec.template.spec.volumes.find((v) => v.name === mount!.name);
    expect(volume?.persistentVolumeClaim.claimName).toBe(claim.metadata.name);
    expect(claim.spec.accessModes).toContain('ReadWriteMany');
  });

  it('maps JOB_COMPLETION_INDEX 0…n−1 to shards 1…n that cover every cell exactly once', () => {
    const count = job.spec.completions;
    const countVar = argv[argv.indexOf('--shard-from-env') + 1].split('/')[1];
    const ids = allCellIds(argv);
    const seen: string[] = [];
    for (let index = 0; index < count; index++) {
      const env = { JOB_COMPLETION_INDEX: String(index), [countVar]: String(count) };
      const args = parseSweepArgs(argv, env);
      expect(args.shard).toEqual({ index: index + 1, count });
      seen.push(...selectShard(args.sweep!.cells, args.shard).map((cell) => cell.id));
    }
    expect(seen.sort()).toEqual([...ids].sort());
  });

  it('merges the same sweep from the same folder afterwards (deploy/k8s/sweep-merge.yaml)', () => {
    const [merge] = documents('deploy/k8s/sweep-merge.yaml');
    const mergePod = z
      .looseObject({ kind: z.literal('Job'), spec: z.looseObject({ template: podTemplate }) })
      .parse(merge).spec.template.spec.containers[0];
    const mergeArgs = parseSweepArgs(sweepArgv(mergePod.command, mergePod.args));
    expect(mergeArgs.merge).toBe(true);
    expect(mergeArgs.out).toBe(argv[argv.indexOf('--out') + 1]);
    expect(mergeArgs.sweep!.cells.map((c) => c.id)).toEqual(allCellIds(argv));
    expect(mergePod.volumeMounts).toEqual(pod.volumeMounts);
  });
});

describe('GitHub Actions matrix (deploy/ci/sweep-matrix.yml)', () => {
  const workflow = z
    .looseObject({
      jobs: z.looseObject({
        shard: z.looseObject({
          strategy: z.looseObject({ matrix: z.looseObject({ shard: z.array(z.number().int()) }) }),
          steps: z.array(
            z.looseObject({
              run: z.string().optional(),
              uses: z.string().optional(),
              with: z.record(z.string(), z.unknown()).optional(),
            }),
          ),
        }),
        merge: z.looseObject({
          needs: z.string(),
          steps: z.array(
            z.looseObject({
              run: z.string().optional(),
              uses: z.string().optional(),
              with: z.record(z.string(), z.unknown()).optional(),
            }),
          ),
        }),
      }),
    })
    .parse(documents('deploy/ci/sweep-matrix.yml')[0]);
  const shardRun = workflow.jobs.shard.steps.find((s) => s.run?.startsWith('npm run sweep'))!.run!;
  const argvOf = (run: string, shard?: number): string[] => {
    const [, rest] = run.split('npm run sweep -- ');
    return rest.replace('${{ matrix.shard }}', String(shard)).trim().split(/\s+/);
  };

  it('runs shards 1…n, each job passing its own shard of the same n', () => {
    const shards = workflow.jobs.shard.strategy.matrix.shard;
    const count = shards.length;
    expect(shards).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    const ids = allCellIds(argvOf(shardRun, 1));
    const seen: string[] = [];
    for (const shard of shards) {
      const args = parseSweepArgs(argvOf(shardRun, shard));
      expect(args.shard).toEqual({ index: shard, count });
      seen.push(...selectShard(args.sweep!.cells, args.shard).map((cell) => cell.id));
    }
    expect(seen.sort()).toEqual([...ids].sort());
  });

  it('uploads each shard’s cells and merges them all into one folder, after every shard', () => {
    expect(workflow.jobs.merge.needs).toBe('shard');
    const upload = workflow.jobs.shard.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
    const download = workflow.jobs.merge.steps.find((s) => s.uses?.startsWith('actions/download-artifact'))!;
    const shardOut = parseSweepArgs(argvOf(shardRun, 1)).out;
    expect(upload.with?.path).toBe(`${shardOut}cell-*.json`);
    expect(String(upload.with?.name).replace('${{ matrix.shard }}', '*')).toBe(download.with?.pattern);
    expect(download.with?.['merge-multiple']).toBe(true);
    const mergeRun = workflow.jobs.merge.steps.find((s) => s.run?.startsWith('npm run sweep'))!.run!;
    const merge = parseSweepArgs(argvOf(mergeRun));
    expect(merge.merge).toBe(true);
    expect(merge.out).toBe(download.with?.path);
    expect(merge.sweep!.cells.map((c) => c.id)).toEqual(
      parseSweepArgs(argvOf(shardRun, 1)).sweep!.cells.map((c) => c.id),
    );
  });
});
