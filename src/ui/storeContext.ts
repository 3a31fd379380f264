import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { AppState } from '../store/types';
import type { AppStore } from '../store';

export const StoreContext = createContext<AppStore | null>(null);

export function useAppStoreApi(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useApp needs <StoreContext.Provider> (see main.tsx)');
  return store;
}

/** Reads the app store through a selector; re-renders only when the selection changes. */
export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(useAppStoreApi(), selector);
}
