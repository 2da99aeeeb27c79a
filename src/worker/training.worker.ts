/**
 * The training worker: one TrainingSession behind Comlink. All logic lives in plain modules (session.ts,
 * batcher.ts, backendChoice.ts) that are tested in Node; this file only wires them to the browser.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as Comlink from 'comlink';
import { Trainer } from '../engine/trainer';
import { createTrainingApi } from './api';
import { createBrowserHost } from './browserBackends';
import { TrainingSession } from './session';

const session = new TrainingSession({
  host: createBrowserHost(),
  createTrainer: (config) => new Trainer(config),
  memory: () => {
    const { numTensors, numBytes } = tf.memory();
    return { numTensors, numBytes };
  },
});

Comlink.expose(createTrainingApi(session, Comlink.transfer));
