/**
 * A data-parallel follower in a Node worker_thread (started by nodeRun.ts): builds the run's trainer on its shard
 * and steps in lockstep with the leader (the exchange's barriers pace it) until the leader stops the run.
 */
import * as tf from '@tensorflow/tfjs-core';
import { parentPort, workerData } from 'node:worker_threads';
import { startNodeBackend } from '../node';
import { Trainer } from '../trainer';
import { ExchangeStopped, GradientExchange } from './exchange';
import type { FollowerData, FollowerMessage } from './nodeProtocol';
import { exchangeHook } from './reducer';

const post = (message: FollowerMessage) => parentPort!.postMessage(message);

async function follow({ config, buffer, layout, index, backend }: FollowerData): Promise<void> {
  // No timeout: the leader evaluates (seconds on a large model) while the followers wait.
  const exchange = new GradientExchange(buffer, layout, index);
  let trainer: Trainer | null = null;
  let steps = 0;
  try {
    await startNodeBackend(backend);
    trainer = new Trainer(config, { gradientHook: exchangeHook(exchange) });
    post({ type: 'ready' });
    for (;;) {
      trainer.trainStep();
      steps++;
    }
  } catch (error) {
    if (!(error instanceof ExchangeStopped)) {
      exchange.stop(); // the leader must not wait for this worker
      post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
      return;
    }
  }
  post({ type: 'done', steps, numTensors: tf.memory().numTensors });
  trainer?.dispose();
}

void follow(workerData as FollowerData);
