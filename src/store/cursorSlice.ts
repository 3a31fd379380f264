import type { StateCreator } from 'zustand';
import type { AppState, CursorSlice } from './types';

const clamp = (n: number, max: number) => Math.max(0, Math.min(max, Math.round(n)));

/** The replay cursor. Playing is a timer owned here so every view sees one clock. */
export const createCursorSlice: StateCreator<AppState, [], [], CursorSlice> = (set, get) => {
  let timer: ReturnType<typeof setInterval> | null = null;
  const stop = () => {
    if (timer !== null) clearInterval(timer);
    timer = null;
  };
  const length = () => get().trace?.steps.length ?? 0;
  const start = () => {
    stop();
    timer = setInterval(() => {
      const { cursor } = get();
      if (cursor >= length()) {
        stop();
        set({ playing: false });
      } else set({ cursor: cursor + 1 });
    }, 1000 / get().speed);
  };
  return {
    cursor: 0,
    playing: false,
    speed: 4,
    setCursor: (n) => set({ cursor: clamp(n, length()) }),
    stepForward: () => set({ cursor: clamp(get().cursor + 1, length()) }),
    stepBack: () => set({ cursor: clamp(get().cursor - 1, length()) }),
    toStart: () => set({ cursor: 0 }),
    toEnd: () => set({ cursor: length() }),
    play: () => {
      if (get().cursor >= length()) set({ cursor: 0 });
      set({ playing: true });
      start();
    },
    pause: () => {
      stop();
      set({ playing: false });
    },
    togglePlay: () => (get().playing ? get().pause() : get().play()),
    setSpeed: (speed) => {
      set({ speed: Math.max(0.5, Math.min(50, speed)) });
      if (get().playing) start();
    },
  };
};
