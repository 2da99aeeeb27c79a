/** A page's store on fake workers, for component tests (imported only by *.test.tsx files). */
import type { ReactNode } from 'react';
import type { LabStoreOptions } from '../store';
import { LabProvider, type LabStore } from '../store';
import { connectedLab, FakeClient } from './fakeClient';

export interface ConnectedPage {
  store: LabStore;
  /** Every fake worker the store made, in order: [0] is the first lane's. */
  clients: FakeClient[];
  /** The store's provider, as the app nests it: for render() or renderHook's `wrapper`. */
  Providers: (props: { children: ReactNode }) => ReactNode;
  /** The calls a worker got, leaving out the subscription and the first init. */
  calls: (client: FakeClient) => string[];
}

/** A page with one connected lane (so ready), whose store makes a fake worker per lane. */
export async function connectedPage(
  options: Omit<LabStoreOptions, 'createClient'> = {},
): Promise<ConnectedPage> {
  const { store, clients } = await connectedLab(options);
  const Providers = ({ children }: { children: ReactNode }) => (
    <LabProvider store={store}>{children}</LabProvider>
  );
  const calls = (client: FakeClient) =>
    client.methods().filter((method) => method !== 'subscribe' && method !== 'init');
  return { store, clients, Providers, calls };
}
