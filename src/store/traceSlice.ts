import type { StateCreator } from 'zustand';
import type { AppState, OpenRequest, StoreDeps, TraceSlice } from './types';

export const DEFAULT_SCENARIO = 'aba';

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The trace being shown, and the actions that need the engine. Only the
 * latest request may update the state: a slow reply to an earlier click is
 * dropped.
 */
export function createTraceSlice(deps: StoreDeps): StateCreator<AppState, [], [], TraceSlice> {
  return (set, get) => {
    let latest = 0;

    const load = async (req: OpenRequest, complete = false): Promise<void> => {
      const id = ++latest;
      get().pause();
      set({ status: 'loading' });
      try {
        const catalog = get().scenarios;
        const def = catalog.find((s) => s.id === req.scenario);
        if (catalog.length && !def) throw new Error(`There is no scenario '${req.scenario}'.`);
        const variant = req.variant ?? def?.variants[0]?.id;
        if (def && variant !== undefined && !def.variants.some((v) => v.id === variant))
          throw new Error(`Scenario ${req.scenario} has no variant '${variant}'.`);
        const schedule = req.schedule ?? 'canonical';
        const params = req.params ?? {};
        const trace = await deps.client.traceReport(req.scenario, variant, schedule, {
          complete,
          params,
        });
        if (id !== latest) return;
        const n = trace.steps.length;
        const step = req.step ?? 0;
        if (step !== 'end' && step > n)
          throw new Error(`The link asks for step ${step}, but this run has only ${n} steps.`);
        set({
          scenario: trace.scenario,
          variant: trace.variant,
          schedule: schedule === 'canonical' ? 'canonical' : trace.schedule,
          params,
          trace,
          status: 'ready',
          cursor: step === 'end' ? n : step,
        });
      } catch (e) {
        if (id !== latest) return;
        if (req.from === 'url') {
          // A broken link: say why, then show the default scenario instead.
          set({ message: `${messageOf(e)} Showing the default scenario instead.` });
          await load({ scenario: DEFAULT_SCENARIO, from: 'user' });
          return;
        }
        set({ status: 'error', message: messageOf(e) });
      }
    };

    return {
      scenario: DEFAULT_SCENARIO,
      variant: '',
      schedule: 'canonical',
      params: {},
      trace: null,
      status: 'idle',
      open: (req) => load(req),
      selectScenario: (id) => load({ scenario: id, from: 'user' }),
      selectVariant: (id) =>
        load({ scenario: get().scenario, variant: id, params: get().params, from: 'user' }),
      setParam: (name, value) =>
        load({
          scenario: get().scenario,
          variant: get().variant,
          params: { ...get().params, [name]: value },
          from: 'user',
        }),
      choose: async (thread) => {
        const { trace, cursor } = get();
        if (!trace) return;
        const status = trace.status[cursor]?.[thread];
        if (!status?.runnable) return;
        const next = trace.steps[cursor];
        if (next && next.thread === thread) {
          // The schedule already goes this way: no fork, just step.
          set({ cursor: cursor + 1 });
          return;
        }
        const prefix = trace.steps.slice(0, cursor).map((s) => s.thread);
        await load({
          scenario: trace.scenario,
          variant: trace.variant,
          schedule: [...prefix, thread].join('.'),
          params: get().params,
          step: cursor + 1,
          from: 'user',
        });
      },
      runToEnd: async () => {
        const { trace } = get();
        if (!trace) return;
        if (trace.final) {
          set({ cursor: trace.steps.length });
          return;
        }
        await load(
          {
            scenario: trace.scenario,
            variant: trace.variant,
            schedule: trace.schedule,
            params: get().params,
            step: 'end',
            from: 'user',
          },
          true,
        );
      },
    };
  };
}
