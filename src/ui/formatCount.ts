/**
 * Numbers as en-US writes them (19,683), without toLocaleString or
 * Intl.NumberFormat: the first use of either loads ICU's locale data, 50–90 ms
 * of main thread on this machine (measured in Chromium), and that fell in the
 * click that starts an exploration (its progress line) and in opening the
 * outcome map (bench:ui's tasks over 50 ms).
 */

/** `n` rounded to a whole number, its digits grouped by threes: toLocaleString('en-US')'s text. */
export function groupDigits(n: number): string {
  const r = Math.round(n);
  if (!Number.isFinite(r) || Math.abs(r) >= 1e21) return r.toLocaleString('en-US');
  const digits = String(Math.abs(r)).replace(/\B(?=(\d{3})+$)/g, ',');
  return r < 0 || Object.is(r, -0) ? `-${digits}` : digits;
}

/** A count: grouped digits, or the exponent form from a billion up (1.23e+9). */
export const formatCount = (n: number): string => (n >= 1e9 ? n.toExponential(2) : groupDigits(n));
