/**
 * What a snapshot costs (the autosave takes one per lane every few seconds while training): the trainer's state
 * read back and structured-cloned, as the worker does before posting it, for the mlp and classic presets.
 *
 *   npx tsx bench/snapshotCost.ts
 */
import { execSync } from 'node:child_process';
import { resolveConfig } from '../src/engine/config';
import { initNodeBackend } from '../src/engine/node';
import { Trainer } from '../src/engine/trainer';
import { presetConfig } from '../src/lib/urlState';

async function main(): Promise<void> {
  await initNodeBackend('wasm');
  console.log(`load: ${execSync('uptime').toString().trim()}`);
  for (const name of ['mlp', 'classic'] as const) {
    const config = resolveConfig(presetConfig(name));
    if (!config.ok) throw new Error(`preset ${name} is invalid`);
    const trainer = new Trainer(config.config);
    for (let i = 0; i < 3; i++) trainer.trainStep();
    await trainer.settle();
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 7; i++) {
      const started = performance.now();
      const copy = structuredClone(await trainer.getState());
      times.push(performance.now() - started);
      const { parameters, optimizer } = copy;
      bytes = [parameters, optimizer.firstMoments, optimizer.secondMoments]
        .flatMap((group) => Object.values(group))
        .reduce((sum, array) => sum + array.byteLength, 0);
    }
    times.sort((a, b) => a - b);
    console.log(
      `${name}: snapshot ${times[3].toFixed(1)} ms median (min ${times[0].toFixed(1)}), ` +
        `${(bytes / 1e6).toFixed(2)} MB of weights and Adam moments`,
    );
    trainer.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
