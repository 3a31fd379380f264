import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { StoreContext } from './ui/storeContext';
import { createEngineClient } from './worker/client';
import { createExploreRunner } from './worker/exploreClient';
import { createAppStore } from './store';
import { browserLocation, syncUrl } from './store/urlSync';
import { persistTextUnsaved } from './store/textScenarioSlice';
import './ui/app.css';
import './testApi';

const root = document.getElementById('root');
if (!root) throw new Error('index.html must contain <div id="root">');

// The engine runs only in the worker; the page holds a store and a client to it.
const client = createEngineClient();
const store = createAppStore({
  client,
  explorer: createExploreRunner(),
  confirm: (message) => window.confirm(message),
});
try {
  persistTextUnsaved(store, window.localStorage);
} catch {
  // Storage disabled: the unsaved-edits flag lives for this page only.
}

client.listScenarios().then(
  (scenarios) => {
    store.setState({ scenarios });
    syncUrl(store, browserLocation());
  },
  (e: unknown) =>
    store.setState({ status: 'error', message: e instanceof Error ? e.message : String(e) }),
);

createRoot(root).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>
  </StrictMode>,
);

// The typed test hook (see testApi.ts).
window.__lockstep = { store, crashEngineWorker: () => client.terminate() };
