import type { StateCreator } from 'zustand';
import type { AppState, OpenRequest, StoreDeps, TraceSlice } from './types';
import { fallbackNote, sentence } from '../url/messages';

export const DEFAULT_SCENARIO = 'aba';
export const DEFAULT_KERNEL = '6.12';

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
      // A message belongs to the load that raised it: an older one goes.
      set({ status: 'loading', message: req.note ?? null });
      try {
        const text = req.text ?? null;
        const catalog = get().scenarios;
        const def = text === null ? catalog.find((s) => s.id === req.scenario) : undefined;
        if (text === null && catalog.length && !def)
          throw new Error(`There is no scenario '${req.scenario}'.`);
        const variant = req.variant ?? def?.variants[0]?.id;
        if (def && variant !== undefined && !def.variants.some((v) => v.id === variant))
          throw new Error(`Scenario ${req.scenario} has no variant '${variant}'.`);
        const schedule = req.schedule ?? 'canonical';
        const params = req.params ?? {};
        const kernel = req.kernel ?? DEFAULT_KERNEL;
        const trace = await deps.client.traceReport(req.scenario, variant, schedule, {
          complete,
          params,
          kernel,
          ...(text !== null && { text }),
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
          kernel: trace.kernel,
          text,
          trace,
          status: 'ready',
          cursor: step === 'end' ? n : step,
        });
      } catch (e) {
        if (id !== latest) return;
        if (req.from === 'url') {
          // A broken link: say why, then show the default scenario instead.
          await load({
            scenario: DEFAULT_SCENARIO,
            from: 'user',
            note: fallbackNote(messageOf(e)),
          });
          return;
        }
        set({ status: 'error', message: sentence(messageOf(e)) });
      }
    };

    return {
      scenario: DEFAULT_SCENARIO,
      variant: '',
      schedule: 'canonical',
      params: {},
      kernel: DEFAULT_KERNEL,
      text: null,
      trace: null,
      status: 'idle',
      open: (req) => load(req),
      selectScenario: async (id) => {
        if (!get().mayReplaceText(null)) return;
        const first = get().scenarios.find((s) => s.id === id)?.variants[0];
        return load({ scenario: id, ...keepKernel(get().kernel, first), from: 'user' });
      },
      selectVariant: (id) => {
        const v = get()
          .scenarios.find((s) => s.id === get().scenario)
          ?.variants.find((x) => x.id === id);
        return load({
          scenario: get().scenario,
          variant: id,
          params: get().params,
          text: get().text,
          ...keepKernel(get().kernel, v),
          from: 'user',
        });
      },
      setParam: (name, value) =>
        load({
          scenario: get().scenario,
          variant: get().variant,
          params: { ...get().params, [name]: value },
          kernel: get().kernel,
          text: get().text,
          from: 'user',
        }),
      selectKernel: (version) => {
        const { trace, cursor } = get();
        return load({
          scenario: get().scenario,
          variant: get().variant,
          params: get().params,
          kernel: version,
          text: get().text,
          // The same schedule may take another path in other code: keep the canonical one.
          schedule: get().schedule,
          step: trace && cursor === trace.steps.length ? 'end' : 0,
          from: 'user',
        });
      },
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
          kernel: get().kernel,
          text: get().text,
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
            kernel: get().kernel,
            text: get().text,
            step: 'end',
            from: 'user',
          },
          true,
        );
      },
    };
  };
}

/**
 * The kernel to open a variant in: the current one when the variant exists
 * there, else the default (or its first kernel), with a note saying why.
 */
function keepKernel(
  current: string,
  variant: { kernels: string[]; kernelNote?: string } | undefined,
): { kernel: string; note?: string } {
  if (!variant || variant.kernels.includes(current)) return { kernel: current };
  const next = variant.kernels.includes(DEFAULT_KERNEL)
    ? DEFAULT_KERNEL
    : (variant.kernels[0] ?? DEFAULT_KERNEL);
  const why = variant.kernelNote ? `: ${variant.kernelNote}` : '';
  return {
    kernel: next,
    note: `${sentence(`Not modelled for ${current}${why}`)} Showing ${next}.`,
  };
}
