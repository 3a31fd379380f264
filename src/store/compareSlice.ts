import type { StateCreator } from 'zustand';
import type { AppState, CompareSlice, StoreDeps } from './types';
import { compareSide } from '../url/codec';
import { cursorsAt } from '../scenarios/compareLines';

/** The two cursors on a comparison's lines, for the views (which do not import scenarios/). */
export { cursorsAt };
export { nextRowEnd, prevRowEnd } from '../scenarios/compareLines';

/** What a comparison was computed for: A's build and schedule (not the cursor). */
export function compareKey(s: AppState): string {
  return [s.scenario, s.variant, s.kernel, s.schedule, JSON.stringify(s.params), s.text ?? ''].join(
    '|',
  );
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The side-by-side view: the current run (A) beside another variant or
 * kernel (B), computed by the engine worker. When A changes (another
 * variant, kernel or schedule), the comparison is recomputed against the
 * same B; only the latest request may land.
 */
export function createCompareSlice(deps: StoreDeps): StateCreator<AppState, [], [], CompareSlice> {
  return (set, get, api) => {
    let latest = 0;

    const moveTo = (line: number) => {
      const c = get().comparison;
      if (c.status !== 'ready') return;
      const n = Math.max(0, Math.min(c.result.lines.length, Math.round(line)));
      set({ comparison: { ...c, line: n } });
      // The main views (narration, state, timeline) follow side A.
      get().setCursor(cursorsAt(c.result.lines, n).a);
    };

    const compareWith = async (other: string, line = 0): Promise<void> => {
      const id = ++latest;
      const s = get();
      const side = compareSide(other);
      const key = compareKey(s);
      const fail = (message: string) => {
        if (id === latest) set({ comparison: { status: 'error', other, key, message } });
      };
      if (!side) return fail(`'${other}' is not a variant, variant@kernel or @kernel.`);
      // Scenario text has no variants: B is the same text on another kernel.
      if (s.text !== null && side.variant !== undefined)
        return fail(
          `Scenario text has no variants: compare it with itself on another kernel (e.g. @7.2), not '${other}'.`,
        );
      set({ comparison: { status: 'loading', other, key } });
      try {
        const result = await deps.client.compareTraces(
          s.scenario,
          { ...(s.text === null && { variant: s.variant }), kernel: s.kernel },
          side,
          s.text === null
            ? { params: s.params, schedule: s.schedule }
            : { schedule: s.schedule, text: s.text },
        );
        if (id !== latest) return;
        if (line > result.lines.length)
          return fail(
            `The link asks for row ${line}, but this comparison has only ${result.lines.length} lines.`,
          );
        // `@7.2` is named by its variant (`buggy@7.2`) so that it stays B when A's
        // variant changes; a bare `pinned` keeps following A's kernel.
        const named =
          other.startsWith('@') && s.text === null ? `${result.b.variant}${other}` : other;
        const now = get();
        if (now.trace && now.trace.steps.length < result.a.steps.length) {
          // A runs its schedule to the end (compareInstances); the page's views
          // follow A, so the page runs the same whole schedule (text opens with none).
          await now.open({
            scenario: now.scenario,
            variant: now.variant,
            schedule: result.a.schedule,
            params: now.params,
            kernel: now.kernel,
            text: now.text,
            step: now.cursor,
            from: 'user',
          });
          if (id !== latest) return;
        }
        // The key of the run A now is: the same comparison, not one to recompute.
        set({
          comparison: { status: 'ready', other: named, key: compareKey(get()), result, line: 0 },
        });
        moveTo(line);
      } catch (e) {
        fail(messageOf(e));
      }
    };

    // A new A (variant, kernel, schedule) gets a new comparison against the same B.
    api.subscribe((s) => {
      const c = s.comparison;
      if (c.status === 'off' || c.status === 'loading' || s.status !== 'ready' || !s.trace) return;
      if (c.key !== compareKey(s)) void compareWith(c.other);
    });

    return {
      comparison: { status: 'off' },
      compareWith,
      closeCompare: () => {
        latest++;
        set({ comparison: { status: 'off' } });
      },
      setCompareLine: moveTo,
    };
  };
}
