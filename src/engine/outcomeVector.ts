import type { Machine } from './machine';

/**
 * A final state's identity: its memory (ghost state included) and which
 * threads finished, as ints, written into `out`. With `asBase`, the finished
 * flags are zeroed: the base that outcome keys are encoded against.
 */
export function outcomeVector(
  m: Machine,
  s: Int32Array,
  asBase = false,
  out = new Int32Array(m.shape.memSize + m.threadCount),
): Int32Array {
  const mem = m.shape.memSize;
  out.set(s.subarray(0, mem));
  for (let t = 0; t < m.threadCount; t++) out[mem + t] = !asBase && m.done(s, t) ? 1 : 0;
  return out;
}
