import type { AppState } from '../store';
import { nextRowEnd, prevRowEnd } from '../store/compareSlice';

/**
 * While a comparison is open, Right/Left step both sides one aligned line
 * and a clicker's PageDown/PageUp move to the end of the next/previous row
 * (with Shift, one line). Returns whether it handled the key.
 */
export function compareKey(s: AppState, e: Pick<KeyboardEvent, 'key' | 'shiftKey'>): boolean {
  const c = s.comparison;
  if (c.status !== 'ready') return false;
  const { lines } = c.result;
  const step = (line: number) => {
    s.setCompareLine(line);
    return true;
  };
  switch (e.key) {
    case 'ArrowRight':
      return step(c.line + 1);
    case 'ArrowLeft':
      return step(c.line - 1);
    case 'PageDown':
      return step(e.shiftKey ? c.line + 1 : nextRowEnd(lines, c.line));
    case 'PageUp':
      return step(e.shiftKey ? c.line - 1 : prevRowEnd(lines, c.line));
    case 'Home':
      return step(0);
    case 'End':
      return step(lines.length);
    default:
      return false;
  }
}
