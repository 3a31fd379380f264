/** Fixtures for the store's tests: an in-thread store, and an address bar the test drives. */
import { createInThreadClient, createInThreadExploreRunner } from '../worker/inThreadClient';
import { createAppStore } from './index';
import type { LocationLike } from './urlSync';

/** A store over the in-thread engine, with the scenario list loaded. */
export async function readyStore() {
  const client = createInThreadClient();
  const store = createAppStore({ client, explorer: createInThreadExploreRunner() });
  store.setState({ scenarios: await client.listScenarios() });
  return store;
}

/** A location whose hash the test edits, as a user edits the address bar. */
export function fakeLocation(initial: string) {
  let hash = initial;
  let listener: () => void = () => {};
  const loc: LocationLike & { edit(h: string): void } = {
    get hash() {
      return hash;
    },
    replace: (h) => {
      hash = h;
    },
    onHashChange: (l) => {
      listener = l;
      return () => {};
    },
    edit: (h) => {
      hash = h;
      listener();
    },
  };
  return loc;
}
