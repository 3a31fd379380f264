import { entryHash, writeDiff, writeZeros } from './stateCodec';

export { entryHash };
// Importable from here, where it was before it had a file of its own.
export { outcomeVector } from './outcomeVector';

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
 * ids keyed by a 32-bit hash; no strings, no per-state objects. The hash is
 * the XOR of what each differing int contributes (`entryHash`), so a caller
 * that steps one state can keep it up to date int by int (`addMarked`).
 *
 * @example
 * const store = new StateStore(initial);
 * const id = store.add(s); // a new id, or ~existingId when s was already there
 */
export class StateStore {
  /**
   * Records, 4-byte aligned, in chunks of `chunkSize` bytes (a power of two):
   * [id: int32][length: int32][encoding, zero-padded to a whole int32]. A
   * record never straddles two chunks.
   */
  private chunks: Int32Array[] = [];
  private readonly chunkShift: number;
  /** Next free int32 in the last chunk. */
  private fill = 0;
  /**
   * Open addressing, two int32s per slot: [hash, ref], ref 0 for an empty
   * slot, else 1 + the record's global int32 offset (chunk << shift | offset)
   * — a hit reads one slot and one record, no per-id arrays.
   */
  private table = new Int32Array(2 * 2048);
  /** Byte views of the chunks. */
  private chunkBytes: Uint8Array[] = [];
  /**
   * Where an encoding is written: straight into the last chunk's free space,
   * after room for a record's header (`out32[outAt]` is its first int32),
   * so that storing a new state copies nothing; a state found already
   * stored leaves the space free.
   */
  private out: Uint8Array = new Uint8Array(0);
  private out32: Int32Array = new Int32Array(0);
  private outAt = 0;
  /** int32s a record can take at most: the header and the worst encoding. */
  private readonly maxWords: number;
  private count = 0;
  /** The hash of the state being encoded. */
  private hash = 0;
  /** lookup()'s answer when it finds nothing: the free slot the encoding would go to. */
  private free = -1;

  constructor(private readonly base: Int32Array) {
    // The worst case: every int differs and takes five varint bytes; rounded up to whole int32s.
    const worst = (base.length * 5 + 8 + 3) & ~3;
    this.maxWords = worst / 4 + 2;
    // 1 MB chunks (a record is at most a fraction of one); ids and offsets fit an int32 ref.
    let shift = 18;
    while (1 << shift < this.maxWords) shift++;
    this.chunkShift = shift;
  }

  /** The state every stored one is encoded against. */
  get baseState(): Int32Array {
    return this.base;
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the store's arrays (capacity, not just use): the figure a memory budget checks. */
  get bytes(): number {
    return this.chunks.length * (4 << this.chunkShift) + this.table.byteLength;
  }

  /**
   * The encoding as a string of char codes (one per byte): an exact, compact
   * key for a final state, comparable across searches from the same base.
   */
  keyOf(s: Int32Array): string {
    const n = this.encode(s);
    const b0 = this.outAt * 4;
    let out = '';
    for (let i = 0; i < n; i += 4096)
      // apply() takes the typed array directly: no intermediate number[].
      out += String.fromCharCode.apply(
        null,
        this.out.subarray(b0 + i, b0 + Math.min(n, i + 4096)) as unknown as number[],
      );
    return out;
  }

  /** The id of `s` if stored, else -1. */
  find(s: Int32Array): number {
    const n = this.encode(s);
    const slot = this.lookup(n, this.hash);
    return slot < 0 ? -1 : this.idAt(this.table[slot + 1] as number);
  }

  /** Adds `s`: its new id, or `~id` (a negative number) when it was already stored. */
  add(s: Int32Array): number {
    return this.insert(this.encode(s));
  }

  /** The hash add(s) files `s` under (what addMarked expects). */
  hashOf(s: Int32Array): number {
    this.encode(s);
    return this.hash;
  }

  /**
   * add() for a state whose caller keeps track of how it differs from the
   * base: bit (i & 31) of `nz[i >> 5]` is set exactly when `s[i]` differs
   * from the base's int, and `hash` is the state's hash (hashOf, updated by
   * `entryHash` as ints change). Encodes only the flagged ints — a few dozen
   * where a state has hundreds — with the same result as add(s).
   */
  addMarked(s: Int32Array, nz: Int32Array, hash: number): number {
    const base = this.base;
    const out = this.room();
    const b0 = this.outAt * 4;
    let n = b0;
    let next = 0;
    for (let w = 0; w < nz.length; w++) {
      let bits = nz[w] as number;
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        const i = (w << 5) | (31 - Math.clz32(low));
        if (i > next) n = writeZeros(out, n, i - next);
        next = i + 1;
        n = writeDiff(out, n, ((s[i] as number) ^ (base[i] as number)) | 0);
      }
    }
    for (let i = n; (i & 3) !== 0; i++) out[i] = 0;
    this.hash = hash;
    return this.insert(n - b0);
  }

  /**
   * add() for the state given as its differences from the base: `count`
   * (index, value) pairs from `pairs[from]`, indices ascending, values
   * differing from the base's. The same id as add() of the whole state, but
   * encoded from the pairs alone (the parallel search's states arrive so).
   */
  addPairs(pairs: Int32Array, from: number, count: number): number {
    const base = this.base;
    const out = this.room();
    const b0 = this.outAt * 4;
    let n = b0;
    let h = 0;
    let next = 0;
    for (let j = from, end = from + 2 * count; j < end; j += 2) {
      const i = pairs[j] as number;
      const x = ((pairs[j + 1] as number) ^ (base[i] as number)) | 0;
      h ^= entryHash(i, x);
      if (i > next) n = writeZeros(out, n, i - next);
      next = i + 1;
      n = writeDiff(out, n, x);
    }
    for (let i = n; (i & 3) !== 0; i++) out[i] = 0;
    this.hash = h;
    return this.insert(n - b0);
  }

  /**
   * Stores the encoding just written (length `n` bytes at `outAt`, hash in
   * `hash`) unless it is there: the record is the header before it.
   */
  private insert(n: number): number {
    const h = this.hash;
    const slot = this.lookup(n, h);
    if (slot >= 0) return ~this.idAt(this.table[slot + 1] as number);
    const free = this.free;
    const at = this.outAt - 2;
    const chunk = this.out32;
    const id = this.count++;
    chunk[at] = id;
    chunk[at + 1] = n;
    this.fill = this.outAt + ((n + 3) >> 2);
    const ref = (((this.chunks.length - 1) << this.chunkShift) | at) + 1;
    if (this.count * 2 > this.table.length >> 1) {
      this.rehash();
      this.place(h, ref);
    } else {
      // The slot the probe ended at: no second probe.
      this.table[free] = h;
      this.table[free + 1] = ref;
    }
    return id;
  }

  /**
   * Makes room for a record in the last chunk (a new chunk when the rest is
   * too small for the worst case) and returns the bytes to encode into,
   * from `outAt * 4` on.
   */
  private room(): Uint8Array {
    const size = 1 << this.chunkShift;
    if (this.chunks.length === 0 || this.fill + this.maxWords > size) {
      if (this.chunks.length >= 1 << (31 - this.chunkShift))
        throw new RangeError('StateStore: more than 8 GB of states');
      const chunk = new Int32Array(size);
      this.chunks.push(chunk);
      this.chunkBytes.push(new Uint8Array(chunk.buffer));
      this.fill = 0;
    }
    this.out32 = this.chunks[this.chunks.length - 1] as Int32Array;
    this.out = this.chunkBytes[this.chunkBytes.length - 1] as Uint8Array;
    this.outAt = this.fill + 2;
    return this.out;
  }

  private idAt(ref: number): number {
    const g = ref - 1;
    return (this.chunks[g >>> this.chunkShift] as Int32Array)[
      g & ((1 << this.chunkShift) - 1)
    ] as number;
  }

  /**
   * The slot (even index into `table`) holding the encoding just written, or -1
   * (and the empty slot that ended the probe in `free`).
   */
  private lookup(n: number, h: number): number {
    const table = this.table;
    const mask = table.length - 2;
    const shift = this.chunkShift;
    const low = (1 << shift) - 1;
    const words = (n + 3) >> 2;
    const sc = this.out32;
    const o = this.outAt;
    outer: for (let i = (h << 1) & mask; ; i = (i + 2) & mask) {
      const ref = table[i + 1] as number;
      if (ref === 0) {
        this.free = i;
        return -1;
      }
      if (table[i] !== h) continue;
      const g = ref - 1;
      const chunk = this.chunks[g >>> shift] as Int32Array;
      const at = (g & low) + 2;
      if (chunk[at - 1] !== n) continue;
      for (let k = 0; k < words; k++) if (chunk[at + k] !== sc[o + k]) continue outer;
      return i;
    }
  }

  private place(h: number, ref: number): void {
    const table = this.table;
    const mask = table.length - 2;
    let i = (h << 1) & mask;
    while ((table[i + 1] as number) !== 0) i = (i + 2) & mask;
    table[i] = h;
    table[i + 1] = ref;
  }

  private rehash(): void {
    const old = this.table;
    this.table = new Int32Array(old.length * 2);
    for (let i = 0; i < old.length; i += 2)
      if ((old[i + 1] as number) !== 0) this.place(old[i] as number, old[i + 1] as number);
  }

  /**
   * Writes the encoding of `s` at `outAt` (zero-padded to a whole int32)
   * and its hash into `hash` (computed in the same pass, from the non-zero
   * differences and where they are); returns the encoding's length in bytes.
   */
  private encode(s: Int32Array): number {
    const base = this.base;
    const out = this.room();
    const b0 = this.outAt * 4;
    let n = b0;
    let zeros = 0;
    let h = 0;
    for (let i = 0; i < s.length; i++) {
      const x = ((s[i] as number) ^ (base[i] as number)) | 0;
      if (x === 0) {
        zeros++;
        continue;
      }
      h ^= entryHash(i, x);
      if (zeros > 0) n = writeZeros(out, n, zeros);
      zeros = 0;
      n = writeDiff(out, n, x);
    }
    // Trailing zeros need no mark: every state has the same length.
    for (let i = n; (i & 3) !== 0; i++) out[i] = 0;
    this.hash = h;
    return n - b0;
  }
}
