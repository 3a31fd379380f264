import type { Machine } from './machine';

/**
 * Exact string keys for states: the Int32Array's bytes as UTF-16 code units
 * (two per int). Exact, not a hash, so two states share a key only when they
 * are equal; about four bytes per int in memory.
 */
export function stateKey(s: Int32Array): string {
  const u = new Uint16Array(s.buffer, s.byteOffset, s.length * 2);
  let out = '';
  const CHUNK = 4096;
  for (let i = 0; i < u.length; i += CHUNK)
    // apply() takes the typed array directly: no intermediate number[].
    out += String.fromCharCode.apply(null, u.subarray(i, i + CHUNK) as unknown as number[]);
  return out;
}

/** A final state's outcome: its memory (ghost state included) and which threads finished. */
export function outcomeKey(m: Machine, s: Int32Array): string {
  const done = Array.from({ length: m.threadCount }, (_, t) => (m.done(s, t) ? '1' : '0')).join('');
  return `${done}|${stateKey(s.subarray(0, m.shape.memSize))}`;
}
