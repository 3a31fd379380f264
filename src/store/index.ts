import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { AppState, StoreDeps } from './types';
import { createCursorSlice } from './cursorSlice';
import { createUiSlice } from './uiSlice';
import { createTraceSlice } from './traceSlice';
import { createExploreSlice } from './exploreSlice';
import { createTextSlice } from './textScenarioSlice';
import { createCompareSlice } from './compareSlice';

export type { AppState, OpenRequest } from './types';

/** One store from slices; the engine client is injected (a worker in the app, in-thread in tests). */
export function createAppStore(deps: StoreDeps) {
  return createStore<AppState>()((...a) => ({
    scenarios: [],
    ...createTraceSlice(deps)(...a),
    ...createCursorSlice(...a),
    ...createUiSlice(...a),
    ...createExploreSlice(deps)(...a),
    ...createTextSlice(deps)(...a),
    ...createCompareSlice(deps)(...a),
  }));
}

export type AppStore = ReturnType<typeof createAppStore>;

export function useAppStore<T>(store: AppStore, selector: (s: AppState) => T): T {
  return useStore(store, selector);
}
