/**
 * A run's regularizer instances: built when a method is switched on, freed (state and all) when it is switched
 * off, listed in registry order with their current parameters for the step.
 */
import type { Config } from '../config';
import { REGULARIZER_IMPLEMENTATIONS } from './implementations';
import { REGULARIZER_IDS, REGULARIZERS, type RegularizerId } from './registry';
import type { RegularizerState } from '../carriedState';
import type { LiveScalar, RegularizerDefinition, RegularizerInstance } from './spec';

type Settings = Config['regularizers'];
type Instance = RegularizerInstance<Record<string, unknown>>;

export interface ActiveRegularizer {
  id: RegularizerId;
  instance: Instance;
  params: Record<string, unknown>;
}

/** Whether an enabled method trains on a held-out slice of the training split (NeuralGrok's outer batch). */
export function usesHeldOut(settings: Settings): boolean {
  return REGULARIZER_IDS.some(
    (id) => settings[id].enabled && (REGULARIZERS[id] as RegularizerDefinition).usesHeldOut,
  );
}

export class ActiveRegularizers {
  private readonly instances = new Map<RegularizerId, Instance>();

  constructor(settings: Settings) {
    this.sync(settings);
  }

  /** Builds or frees instances to match the settings (state resets when a method is switched off). */
  sync(settings: Settings): void {
    for (const id of REGULARIZER_IDS) {
      const enabled = settings[id].enabled;
      const existing = this.instances.get(id);
      if (enabled && !existing) {
        this.instances.set(id, REGULARIZER_IMPLEMENTATIONS[id].create() as Instance);
      } else if (!enabled && existing) {
        existing.dispose();
        this.instances.delete(id);
      }
    }
  }

  /** The enabled methods in registry order, each with its parameters from `settings`. */
  list(settings: Settings): ActiveRegularizer[] {
    return REGULARIZER_IDS.filter((id) => this.instances.has(id)).map((id) => ({
      id,
      instance: this.instances.get(id)!,
      params: settings[id] as unknown as Record<string, unknown>,
    }));
  }

  /** Every live scalar of every instance, in registry order. */
  liveScalars(): { id: RegularizerId; name: string; scalar: LiveScalar }[] {
    return REGULARIZER_IDS.flatMap((id) => {
      const instance = this.instances.get(id);
      return instance
        ? Object.entries(instance.scalars()).map(([name, scalar]) => ({ id, name, scalar }))
        : [];
    });
  }

  /** The carried state of the instances that have any (Grokfast filters, NeuralGrok's φ), by id. */
  async getStates(): Promise<Record<string, RegularizerState>> {
    const states: Record<string, RegularizerState> = {};
    for (const id of REGULARIZER_IDS) {
      const state = await this.instances.get(id)?.getState?.();
      if (state) states[id] = state;
    }
    return states;
  }

  setStates(states: Record<string, RegularizerState> | undefined): void {
    for (const id of REGULARIZER_IDS) {
      const saved = states?.[id];
      if (saved) this.instances.get(id)?.setState?.(saved);
    }
  }

  dispose(): void {
    for (const instance of this.instances.values()) instance.dispose();
    this.instances.clear();
  }
}
