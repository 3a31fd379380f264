/**
 * Which key picks which CPU. Digits 1–9 and 0 pick the first ten; a second
 * layer, Shift with a digit, picks the next ten, so `dirty-bit-scaled` with
 * ten or more vCPUs can still be driven from the keyboard. Shift+digit is read
 * from `KeyboardEvent.code` (Digit1), since `key` depends on the layout ('!').
 */

export interface CpuKey {
  /** What the hint shows: "3", "0", "⇧1". */
  label: string;
  /** For aria-keyshortcuts: "3", "Shift+1". */
  shortcut: string;
}

/** Keys exist for the first 20 threads. */
export const MAX_KEYED_CPUS = 20;

export function cpuKey(thread: number): CpuKey | null {
  if (!Number.isInteger(thread) || thread < 0 || thread >= MAX_KEYED_CPUS) return null;
  const digit = String((thread + 1) % 10);
  return thread < 10
    ? { label: digit, shortcut: digit }
    : { label: `⇧${digit}`, shortcut: `Shift+${digit}` };
}

/** The thread a key press picks, or null when the key picks none. */
export function threadForKey(e: { key: string; code: string; shiftKey: boolean }): number | null {
  const m = /^Digit(\d)$/.exec(e.code) ?? (e.shiftKey ? null : /^(\d)$/.exec(e.key));
  if (!m?.[1]) return null;
  const d = Number(m[1]);
  const inLayer = d === 0 ? 9 : d - 1;
  return e.shiftKey ? 10 + inLayer : inLayer;
}
