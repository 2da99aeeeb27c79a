import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The model names bench/torch_reference.py builds (`--model`). */
export type TorchModel = 'mlp' | 'small' | 'classic';

const TorchSteps = z.object({ msPerStep: z.number(), cpuMsPerStep: z.number(), steps: z.number() });
export type TorchSteps = z.infer<typeof TorchSteps>;

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../torch_reference.py', import.meta.url));

/** PyTorch and its BLAS held to `threads` threads, so the lab is compared at equal cores. */
function threadEnvironment(threads: number): NodeJS.ProcessEnv {
  const count = String(threads);
  return { ...process.env, OPENBLAS_NUM_THREADS: count, OMP_NUM_THREADS: count, MKL_NUM_THREADS: count };
}

let available: boolean | null = null;

/** Whether Debian's python3 can import torch; asked once per process. */
export function torchAvailable(): boolean {
  if (available === null) {
    try {
      execFileSync(PYTHON, ['-c', 'import torch'], { env: threadEnvironment(1), stdio: 'ignore' });
      available = true;
    } catch {
      available = false;
    }
  }
  return available;
}

/**
 * bench/torch_reference.py: ms and CPU ms per full-batch AdamW step of the same model the lab trains, at `threads`
 * threads. Throws when python or torch fails (its stderr goes to ours).
 */
export function runTorchReference(model: TorchModel, steps: number, threads: number): TorchSteps {
  const output = execFileSync(
    PYTHON,
    [SCRIPT, '--model', model, '--steps', String(steps), '--threads', String(threads)],
    { env: threadEnvironment(threads), encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return TorchSteps.parse(JSON.parse(output.trim().split('\n').at(-1)!));
}
