import { decodeUrl, encodeUrl } from '../url/codec';
import { fallbackNote } from '../url/messages';
import type { AppStore } from './index';

/** What the URL sync needs of the page: injected, so tests run without a browser. */
export interface LocationLike {
  hash: string;
  replace(hash: string): void;
  onHashChange(listener: () => void): () => void;
}

export function browserLocation(): LocationLike {
  return {
    get hash() {
      return window.location.hash;
    },
    replace: (hash) => window.history.replaceState(null, '', hash),
    onHashChange: (listener) => {
      window.addEventListener('hashchange', listener);
      return () => window.removeEventListener('hashchange', listener);
    },
  };
}

/** A link carrying scenario text longer than this is refused (a .litmus file instead). */
export const MAX_TEXT_LINK = 8 * 1024;

/**
 * The hash for the store's current view, or null while nothing is loaded or
 * when the text it would carry makes it longer than MAX_TEXT_LINK.
 */
export function hashOf(store: AppStore): string | null {
  const h = fullHashOf(store);
  return h !== null && h.length > MAX_TEXT_LINK ? null : h;
}

/** The hash, however long. */
export function fullHashOf(store: AppStore): string | null {
  const s = store.getState();
  if (!s.trace || s.status !== 'ready') return null;
  return encodeUrl({
    ...(s.text !== null && { text: s.text }),
    scenario: s.scenario,
    variant: s.variant,
    schedule: s.schedule,
    step: s.cursor,
    kernel: s.kernel,
    ...(Object.keys(s.params).length > 0 && { params: s.params }),
    ...(s.comparison.status !== 'off' && { compare: s.comparison.other }),
    ...(s.comparison.status === 'ready' && { row: s.comparison.line }),
  });
}

/**
 * Keeps the URL and the store in step: the store's view is written to the
 * hash (replaceState: stepping must not flood the history), and a hash the
 * user edits is decoded and applied. A step-only change just moves the cursor.
 */
export function syncUrl(store: AppStore, loc: LocationLike): () => void {
  // null until the first apply: the bare URL `npm start` prints has an empty
  // hash, which must still open the default scenario rather than look like
  // the hash this sync wrote itself.
  let written: string | null = null;
  const apply = () => {
    if (written !== null && loc.hash === written) return;
    written = loc.hash;
    const d = decodeUrl(loc.hash);
    const s = store.getState();
    // A message belongs to the load that raised it: a new link starts clean.
    s.showMessage(null);
    const keep = (): boolean => {
      // The user keeps the text scenario: the address bar goes back to it.
      const h = hashOf(store);
      if (h !== null) {
        written = h;
        loc.replace(h);
      }
      return true;
    };
    if (!d.ok) {
      if (!s.mayReplaceText(null) && keep()) return;
      void s.open({
        scenario: 'aba',
        from: 'user',
        ...(d.error !== 'empty' && { note: fallbackNote(d.error) }),
      });
      return;
    }
    const { scenario, variant, schedule, step, params = {}, kernel = '6.12' } = d.state;
    const text = d.state.text ?? null;
    const same =
      s.trace &&
      text === s.text &&
      (text !== null || scenario === s.scenario) &&
      (variant ?? s.variant) === s.variant &&
      schedule === s.schedule &&
      kernel === s.kernel &&
      JSON.stringify(params) === JSON.stringify(s.params);
    const { compare, row = 0 } = d.state;
    if (same && s.trace) {
      const c = s.comparison;
      if (compare === undefined) {
        if (c.status !== 'off') s.closeCompare();
      } else if (c.status !== 'ready' || c.other !== compare) {
        void s.compareWith(compare, row);
        return;
      } else if (d.state.row !== undefined) {
        s.setCompareLine(row);
        return;
      }
      const n = s.trace.steps.length;
      if (step !== 'end' && step > n) {
        s.showMessage(
          `The link asks for step ${step}, but this run has only ${n} steps. The cursor stays at step ${s.cursor}.`,
        );
        return;
      }
      s.setCursor(step === 'end' ? n : step);
      return;
    }
    if (!s.mayReplaceText(text) && keep()) return;
    // A comparison is recomputed for the new run below, not for the old one.
    s.closeCompare();
    void s
      .open({
        scenario,
        ...(variant !== undefined && { variant }),
        schedule,
        params,
        kernel,
        step,
        text,
        from: 'url',
      })
      .then(() => {
        if (compare !== undefined && store.getState().status === 'ready')
          void store.getState().compareWith(compare, row);
      });
  };
  const unsubscribe = store.subscribe(() => {
    const h = hashOf(store);
    if (h !== null && h !== loc.hash) {
      written = h;
      loc.replace(h);
    }
  });
  const unlisten = loc.onHashChange(apply);
  apply();
  return () => {
    unsubscribe();
    unlisten();
  };
}
