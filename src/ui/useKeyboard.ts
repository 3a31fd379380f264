import { useEffect } from 'react';
import type { AppStore } from '../store';
import { threadForKey } from './cpuKeys';
import { nextRowStop, prevRowStop } from './rows';
import { compareKey } from './compareKeys';

// Space and Enter on these belong to the element (press the button, open the details).
const OWNS_SPACE = /^(BUTTON|A|SUMMARY)$/;

/**
 * The keyboard drives everything, so a speaker needs no mouse: Right/Left
 * step, a clicker's PageDown/PageUp move by a row of the narration
 * (Shift+PageDown/PageUp by one op), Space plays, Home/End jump, 1-9 and 0
 * (then Shift+digit) pick the CPU that moves next, T toggles talk mode,
 * Escape leaves it.
 */
export function useKeyboard(store: AppStore): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) return;
      // The scenario editor (CodeMirror) is contenteditable: its keys are typing.
      if (target?.isContentEditable) return;
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const s = store.getState();
      const n = s.trace?.steps.length ?? 0;
      const rows = s.trace?.chapters ?? [];
      // With a comparison open, stepping keys step both sides (compareKeys.ts).
      if (compareKey(s, e)) {
        e.preventDefault();
        return;
      }
      switch (e.key) {
        case 'ArrowRight':
          s.stepForward();
          break;
        case 'ArrowLeft':
          s.stepBack();
          break;
        case 'PageDown':
          if (e.shiftKey || rows.length === 0) s.stepForward();
          else s.setCursor(nextRowStop(rows, n, s.cursor));
          break;
        case 'PageUp':
          if (e.shiftKey || rows.length === 0) s.stepBack();
          else s.setCursor(prevRowStop(rows, n, s.cursor));
          break;
        case ' ':
          if (
            target &&
            (OWNS_SPACE.test(target.tagName) || target.getAttribute('role') === 'button')
          )
            return;
          s.togglePlay();
          break;
        case 'Home':
          s.toStart();
          break;
        case 'End':
          s.toEnd();
          break;
        case 't':
        case 'T':
          s.setTalk(!s.talk);
          break;
        case 'Escape':
          s.setTalk(false);
          break;
        default: {
          // Digits, and Shift+digit for CPUs 11-20 (cpuKeys.ts).
          const t = threadForKey(e);
          if (t === null) return;
          void s.choose(t);
        }
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
}
