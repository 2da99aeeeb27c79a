/** What a Node data-parallel follower is given and what it reports (zod: it crosses a thread boundary). */
import { z } from 'zod';
import type { Config } from '../config';
import type { ExchangeLayout } from './exchange';

export interface FollowerData {
  config: Config;
  buffer: SharedArrayBuffer;
  layout: ExchangeLayout;
  index: number;
  /** 'wasm' (one thread) or 'cpu': the leader's backend, so every worker computes alike. */
  backend: 'wasm' | 'cpu';
}

export const FollowerMessage = z.discriminatedUnion('type', [
  /** Backend started and trainer built: it now waits for the leader's first step. */
  z.object({ type: z.literal('ready') }),
  /** The run was stopped; the steps it trained and its tensors before disposing (leak checks). */
  z.object({ type: z.literal('done'), steps: z.number().int(), numTensors: z.number().int() }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type FollowerMessage = z.infer<typeof FollowerMessage>;
