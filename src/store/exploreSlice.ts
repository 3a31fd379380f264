import type { StateCreator } from 'zustand';
import type { AppState, ExploreSlice, StoreDeps } from './types';

/** Which scenario an exploration is about: results of another one are not shown. */
export const exploreKey = (
  s: Pick<AppState, 'scenario' | 'variant' | 'params' | 'kernel' | 'text'>,
): string =>
  `${s.scenario}/${s.variant}/${s.kernel}/${JSON.stringify(s.params)}` +
  (s.text === null ? '' : `/${s.text}`);

export function createExploreSlice(deps: StoreDeps): StateCreator<AppState, [], [], ExploreSlice> {
  return (set, get) => ({
    exploration: { status: 'idle' },
    explore: async (options = {}) => {
      const s = get();
      const key = exploreKey(s);
      const startedAt = performance.now();
      set({
        exploration: { status: 'running', key, progress: null, startedAt, statesPerSecond: 0 },
      });
      try {
        const report = await deps.explorer.run(
          s.scenario,
          s.variant,
          {
            ...options,
            params: s.params,
            kernel: s.kernel,
            ...(s.text !== null && { text: s.text }),
          },
          (progress) => {
            const cur = get().exploration;
            if (cur.status !== 'running' || cur.key !== key) return;
            const secs = (performance.now() - startedAt) / 1000;
            set({
              exploration: {
                ...cur,
                progress,
                statesPerSecond: secs > 0 ? progress.states / secs : 0,
              },
            });
          },
        );
        if (get().exploration.status === 'running')
          set({
            exploration: {
              status: 'done',
              key,
              report,
              wallMs: Math.round(performance.now() - startedAt),
            },
          });
      } catch (e) {
        const cur = get().exploration;
        if (cur.status === 'cancelled') return;
        set({
          exploration: {
            status: 'error',
            key,
            message: e instanceof Error ? e.message : String(e),
          },
        });
      }
    },
    cancelExplore: () => {
      const cur = get().exploration;
      if (cur.status !== 'running') return;
      set({
        exploration: {
          status: 'cancelled',
          key: cur.key,
          progress: cur.progress,
          wallMs: Math.round(performance.now() - cur.startedAt),
        },
      });
      deps.explorer.cancel();
    },
    // The worker that explored builds the witness on demand: 20,000 schedules up front would cost seconds.
    replayOutcome: async (p) => {
      try {
        const w = await deps.explorer.witness(p);
        await get().replay(w.schedule, w.violationStep);
      } catch (e) {
        get().showMessage(
          `Could not replay that final state: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    },
    // Lands on `step` (the violation's), not on step 0: that is what the user asked to see.
    replay: (schedule, step = 0) =>
      get().open({
        scenario: get().scenario,
        variant: get().variant,
        params: get().params,
        kernel: get().kernel,
        text: get().text,
        schedule,
        step,
        from: 'user',
      }),
  });
}
