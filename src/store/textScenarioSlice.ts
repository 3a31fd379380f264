import type { StateCreator } from 'zustand';
import type { AppState, StoreDeps, TextSlice } from './types';

/** Asked before a text scenario with unsaved edits makes way for another scenario. */
export const REPLACE_UNSAVED =
  'The scenario text on screen has edits not saved as a .litmus file or a link. ' +
  'Show the other scenario instead? (The editor keeps the text.)';

/**
 * Whether the editor's text has edits not yet saved as a file or shared as a
 * link, and the one question every path that replaces a text scenario asks
 * (the picker, a pasted link). The store never calls window.confirm itself:
 * the page injects it, tests inject an answer.
 */
export function createTextSlice(deps: StoreDeps): StateCreator<AppState, [], [], TextSlice> {
  return (set, get) => ({
    textUnsaved: false,
    setTextUnsaved: (textUnsaved) => {
      if (get().textUnsaved !== textUnsaved) set({ textUnsaved });
    },
    mayReplaceText: (next) => {
      const s = get();
      if (s.text === null || !s.textUnsaved || next === s.text) return true;
      return deps.confirm ? deps.confirm(REPLACE_UNSAVED) : true;
    },
  });
}

/** Where the page keeps the flag, beside the editor's text (a reload must still ask). */
export const UNSAVED_KEY = 'lockstep.editor.unsaved';

/** Restores the flag from `storage` and writes every change back. */
export function persistTextUnsaved(
  store: { getState(): AppState; subscribe(l: (s: AppState) => void): () => void },
  storage: Pick<Storage, 'getItem' | 'setItem'>,
): () => void {
  try {
    store.getState().setTextUnsaved(storage.getItem(UNSAVED_KEY) === '1');
  } catch {
    // Storage disabled: the flag lives for this page only.
  }
  let last = store.getState().textUnsaved;
  return store.subscribe((s) => {
    if (s.textUnsaved === last) return;
    last = s.textUnsaved;
    try {
      storage.setItem(UNSAVED_KEY, last ? '1' : '0');
    } catch {
      // As above.
    }
  });
}
