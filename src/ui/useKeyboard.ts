import { useEffect } from 'react';
import type { AppStore } from '../store';
import { threadForKey } from './cpuKeys';

/**
 * The keyboard drives everything, so a speaker needs no mouse: Right/Left
 * (and a clicker's PageDown/PageUp) step, Space plays, Home/End jump, 1-9
 * and 0 (then Shift+digit) pick the CPU that moves next, T toggles talk mode, Escape leaves it.
 */
export function useKeyboard(store: AppStore): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) return;
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const s = store.getState();
      switch (e.key) {
        case 'ArrowRight':
        case 'PageDown':
          s.stepForward();
          break;
        case 'ArrowLeft':
        case 'PageUp':
          s.stepBack();
          break;
        case ' ':
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
