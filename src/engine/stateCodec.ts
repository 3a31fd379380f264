/**
 * The pieces of StateStore's encoding and hash (see stateStore.ts): a state
 * is stored as its differences from a base state, a differing int as a
 * zigzag varint, a run of equal ints as 0x00 and the run's length.
 */

/** A run of zeros: 0x00, then the run length as a varint (a non-zero value never starts with 0x00). */
export function writeZeros(out: Uint8Array, n: number, run: number): number {
  out[n++] = 0;
  while (run >= 0x80) {
    out[n++] = (run & 0x7f) | 0x80;
    run >>>= 7;
  }
  out[n++] = run;
  return n;
}

/** One differing int `x` (non-zero): zigzag (small negatives, the -1 "none" fields, stay one byte), then a varint. */
export function writeDiff(out: Uint8Array, n: number, x: number): number {
  let z = ((x << 1) ^ (x >> 31)) >>> 0;
  while (z >= 0x80) {
    out[n++] = (z & 0x7f) | 0x80;
    z >>>= 7;
  }
  out[n++] = z;
  return n;
}

/**
 * What int `i`, differing from the base's by `x`, contributes to a state's
 * hash: a state's hash is the XOR of these over its differing ints (0 for
 * the base), so changing one int from difference `a` to `b` changes the
 * hash by `entryHash(i, a) ^ entryHash(i, b)` (an int equal to the base's
 * contributes 0). Both products are one to one and fmix mixes every bit
 * into the table's low bits.
 */
export function entryHash(i: number, x: number): number {
  return x === 0 ? 0 : fmix(Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(x, 0x85ebca6b));
}

/** murmur3's final avalanche, so that the table's low bits depend on every input bit. */
export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
