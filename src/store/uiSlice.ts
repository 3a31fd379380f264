import type { StateCreator } from 'zustand';
import type { AppState, UiSlice } from './types';

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set) => ({
  talk: false,
  message: null,
  setTalk: (talk) => set({ talk }),
  showMessage: (message) => set({ message }),
});
