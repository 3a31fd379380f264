import type { Machine } from './machine';

/**
 * A set of machine states, stored compactly, for the state-graph search.
 *
 * A state is kept as the difference from a base state (usually the initial
 * one): each int is XORed with the base, zigzag-encoded and written as a
 * LEB128 varint, and a run of zeros (the fields a state shares with the
 * base, most of them) as one 0x00 byte and the run's length. A state of
 * `dirty-bit-scaled` n=12 (401 ints, 1,604 bytes) takes about 60 bytes. The
 * encoding is exact, so two states share an id only when they are equal;
 * states are never decoded, only compared.
 *
 * Ids are dense (0, 1, 2, ... in insertion order), so callers keep per-state
 * data in typed arrays indexed by id. Look-up is an open-addressing table of
 * ids keyed by a 32-bit hash of the encoding; no strings, no per-state objects.
 *
 * @example
 * const store = new StateStore(initial);
 * const id = store.add(s); // a new id, or ~existingId when s was already there
 */
export class StateStore {
  /** Byte chunks of encodings; an encoding never straddles two chunks. */
  private chunks: Uint8Array[] = [];
  /** Bytes of the chunks: each chunk starts at `starts[i]`. */
  private starts: number[] = [];
  private capacity = 0;
  private used = 0;
  private offsets = new Float64Array(1024);
  private lengths = new Uint32Array(1024);
  private hashes = new Int32Array(1024);
  private chunkOf = new Uint16Array(1024);
  private table = new Int32Array(2048).fill(-1);
  private scratch: Uint8Array;
  private count = 0;
  /** The hash of the last encoding. */
  private hash = 0;
  private static readonly CHUNK = 1 << 24;

  constructor(private readonly base: Int32Array) {
    // The worst case: every int differs and takes five varint bytes.
    this.scratch = new Uint8Array(base.length * 5 + 8);
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the store's arrays (capacity, not just use): the figure a memory budget checks. */
  get bytes(): number {
    return (
      this.capacity +
      this.offsets.byteLength +
      this.lengths.byteLength +
      this.hashes.byteLength +
      this.chunkOf.byteLength +
      this.table.byteLength
    );
  }

  /**
   * The encoding as a string of char codes (one per byte): an exact, compact
   * key for a final state, comparable across searches from the same base.
   */
  keyOf(s: Int32Array): string {
    const n = this.encode(s);
    let out = '';
    for (let i = 0; i < n; i += 4096)
      // apply() takes the typed array directly: no intermediate number[].
      out += String.fromCharCode.apply(
        null,
        this.scratch.subarray(i, Math.min(n, i + 4096)) as unknown as number[],
      );
    return out;
  }

  /** The id of `s` if stored, else -1. */
  find(s: Int32Array): number {
    const n = this.encode(s);
    return this.lookup(n, this.hash);
  }

  /** Adds `s`: its new id, or `~id` (a negative number) when it was already stored. */
  add(s: Int32Array): number {
    const n = this.encode(s);
    const h = this.hash;
    const known = this.lookup(n, h);
    if (known >= 0) return ~known;
    const id = this.count++;
    if (id >= this.offsets.length) this.growIds();
    if (this.used + n > this.capacity || this.chunks.length === 0) {
      // Chunks double up to 16 MB: small searches stay small, big ones copy nothing.
      const size = Math.max(n, Math.min(StateStore.CHUNK, 1 << (16 + this.chunks.length)));
      this.chunks.push(new Uint8Array(size));
      this.starts.push(this.capacity);
      this.used = this.capacity;
      this.capacity += size;
    }
    const last = this.chunks.length - 1;
    const chunk = this.chunks[last] as Uint8Array;
    chunk.set(this.scratch.subarray(0, n), this.used - (this.starts[last] as number));
    this.offsets[id] = this.used;
    this.chunkOf[id] = last;
    this.lengths[id] = n;
    this.hashes[id] = h;
    this.used += n;
    if (this.count * 2 > this.table.length) this.rehash();
    else this.place(id, h);
    return id;
  }

  private lookup(n: number, h: number): number {
    const mask = this.table.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const id = this.table[i] as number;
      if (id < 0) return -1;
      if (this.hashes[id] === h && this.lengths[id] === n && this.equals(id, n)) return id;
    }
  }

  private equals(id: number, n: number): boolean {
    const c = this.chunkOf[id] as number;
    const chunk = this.chunks[c] as Uint8Array;
    const at = (this.offsets[id] as number) - (this.starts[c] as number);
    const sc = this.scratch;
    for (let i = 0; i < n; i++) if (chunk[at + i] !== sc[i]) return false;
    return true;
  }

  private place(id: number, h: number): void {
    const mask = this.table.length - 1;
    let i = h & mask;
    while ((this.table[i] as number) >= 0) i = (i + 1) & mask;
    this.table[i] = id;
  }

  private rehash(): void {
    this.table = new Int32Array(this.table.length * 2).fill(-1);
    for (let id = 0; id < this.count; id++) this.place(id, this.hashes[id] as number);
  }

  private growIds(): void {
    const cap = this.offsets.length * 2;
    const grow = <T extends Float64Array | Uint32Array | Int32Array | Uint16Array>(
      a: T,
      b: T,
    ): T => (b.set(a), b);
    this.offsets = grow(this.offsets, new Float64Array(cap));
    this.lengths = grow(this.lengths, new Uint32Array(cap));
    this.hashes = grow(this.hashes, new Int32Array(cap));
    this.chunkOf = grow(this.chunkOf, new Uint16Array(cap));
  }

  /**
   * Writes the encoding of `s` into `scratch` and its hash into `hash`
   * (computed in the same pass, from the non-zero differences and where they
   * are); returns the encoding's length in bytes.
   */
  private encode(s: Int32Array): number {
    const base = this.base;
    const out = this.scratch;
    let n = 0;
    let zeros = 0;
    let h = 0x811c9dc5 | 0;
    for (let i = 0; i < s.length; i++) {
      const x = ((s[i] as number) ^ (base[i] as number)) | 0;
      if (x === 0) {
        zeros++;
        continue;
      }
      h = Math.imul(h ^ i, 0x01000193);
      h = Math.imul(h ^ x, 0x5bd1e995);
      if (zeros > 0) n = writeZeros(out, n, zeros);
      zeros = 0;
      // Zigzag: small negative numbers (the -1 "none" fields) stay one byte.
      let z = ((x << 1) ^ (x >> 31)) >>> 0;
      while (z >= 0x80) {
        out[n++] = (z & 0x7f) | 0x80;
        z >>>= 7;
      }
      out[n++] = z;
    }
    // Trailing zeros need no mark: every state has the same length.
    this.hash = fmix(h);
    return n;
  }
}

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

/** A run of zeros: 0x00, then the run length as a varint (a non-zero value never starts with 0x00). */
function writeZeros(out: Uint8Array, n: number, run: number): number {
  out[n++] = 0;
  while (run >= 0x80) {
    out[n++] = (run & 0x7f) | 0x80;
    run >>>= 7;
  }
  out[n++] = run;
  return n;
}

/** murmur3's final avalanche, so that the table's low bits depend on every input bit. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
