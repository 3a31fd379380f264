import type { Growable } from './growable';
import type { ScenarioInstance } from './model';

/** What a worker is started with (worker `index` of `workers`). */
export interface PartitionInit {
  inst: ScenarioInstance;
  index: number;
  workers: number;
  por: boolean;
}

/** What a worker sends back at the end: its part of the graph, as flat arrays. */
export interface PartitionSummary {
  states: number;
  /** Per local state: first edge (local edge index) and edge count; final-state mask and outcome. */
  edgeStart: Int32Array;
  edgeCount: Uint16Array;
  /** Per local edge (the ones this worker's states have): the thread stepped. */
  choice: Uint8Array;
  /** Per local state: violation mask (bit i: KINDS[i]); outcome id, -1 for a state that is not final. */
  mask: Uint8Array;
  outcome: Int32Array;
  /** Distinct outcome vectors of this worker's final states, in order: records (putRecord) against the outcome base. */
  outcomes: Uint8Array;
  /** Resolved edges into this worker's states: (source worker, source's edge index, local id) triples. */
  incoming: Int32Array;
  /** Lock observations: per local state a run of `obs` (ids into `obsTable`, JSON). */
  obsStart: Int32Array;
  obsCount: Uint8Array;
  obs: Uint16Array;
  obsTable: string[];
  /** Engine steps of the expansions (the initial settle not included). */
  steps: number;
  bytes: number;
}

/**
 * Successors in flight between workers of the partitioned search, as bytes:
 * `[source]`, then per successor `[edge][n]` and n pairs `[index gap]
 * [zigzag(value ^ initial value)]`, every number a LEB128 varint. A state
 * differs from the initial one in a few small values, so a pair takes about
 * 3 bytes where two int32s took 8: less to write, send and page in (fresh
 * memory is dear on a loaded machine).
 */
export type Batch = Uint8Array;

/** Which worker owns a state, from its difference hash: bits the StateStore's table does not use first. */
export const ownerOf = (hash: number, workers: number): number =>
  (Math.imul(hash ^ (hash >>> 15), 0x2c1b3c6d) >>> 8) % workers;

/** murmur3's final avalanche, the state store's own (stateCodec.ts). */
export { fmix } from './stateCodec';

/** Appends `x` (taken as unsigned 32 bits) as a varint; room must have been made. */
function put(b: Growable<Uint8Array>, x: number): void {
  const o = b.a;
  let n = b.length;
  let z = x >>> 0;
  while (z >= 0x80) {
    o[n++] = (z & 0x7f) | 0x80;
    z >>>= 7;
  }
  o[n++] = z;
  b.length = n;
}

/** Starts a batch from worker `source`. */
export function startBatch(b: Growable<Uint8Array>, source: number): void {
  b.length = 0;
  b.ensure(5);
  put(b, source);
}

/** Appends a successor: edge `edge`, `k / 2` (index, value) pairs in `pairs`, indices ascending. */
export function putSuccessor(
  b: Growable<Uint8Array>,
  edge: number,
  pairs: Int32Array,
  k: number,
  s0: Int32Array,
): void {
  putRecord(b, edge, pairs, 0, k >> 1, s0);
}

/**
 * Appends `[head][n]` and `n` (index, value) pairs from `pairs[from]` in the
 * batch encoding: a successor in a batch, or a state on a worker's pending
 * stack (head: its local id).
 */
export function putRecord(
  b: Growable<Uint8Array>,
  head: number,
  pairs: Int32Array,
  from: number,
  n: number,
  s0: Int32Array,
): void {
  // At most five bytes per number.
  if (b.length + 10 + 10 * n > b.a.length) b.ensure(b.length + 10 + 10 * n);
  put(b, head);
  put(b, n);
  let prev = -1;
  for (let j = from, end = from + 2 * n; j < end; j += 2) {
    const i = pairs[j] as number;
    const x = ((pairs[j + 1] as number) ^ (s0[i] as number)) | 0;
    put(b, i - prev - 1);
    put(b, (x << 1) ^ (x >> 31));
    prev = i;
  }
}

/** Where the record (putRecord) at `at` ends. */
export function recordEnd(bytes: Uint8Array, at: number): number {
  let pos = at;
  const get = (): number => {
    let x = 0;
    let shift = 0;
    for (;;) {
      const c = bytes[pos++] as number;
      x |= (c & 0x7f) << shift;
      if (c < 0x80) return x >>> 0;
      shift += 7;
    }
  };
  get();
  const n = get();
  for (let j = 0; j < 2 * n; j++) while ((bytes[pos++] as number) >= 0x80);
  return pos;
}

/** Writes the state of the record (putRecord) at `at` into `s`; returns its head. */
export function loadRecord(bytes: Uint8Array, at: number, s0: Int32Array, s: Int32Array): number {
  const get = (): number => {
    let x = 0;
    let shift = 0;
    for (;;) {
      const c = bytes[at++] as number;
      x |= (c & 0x7f) << shift;
      if (c < 0x80) return x >>> 0;
      shift += 7;
    }
  };
  const head = get();
  const n = get();
  s.set(s0);
  for (let j = 0, i = -1; j < n; j++) {
    i += get() + 1;
    const z = get();
    s[i] = ((z >>> 1) ^ -(z & 1) ^ (s0[i] as number)) | 0;
  }
  return head;
}

/**
 * Reads a batch: for each successor, its pairs decoded into `pairs` (room
 * for every index of a state) and `f(source, edge, n)`.
 */
export function readBatch(
  batch: Batch,
  s0: Int32Array,
  pairs: Int32Array,
  f: (source: number, edge: number, n: number) => void,
): void {
  let at = 0;
  const get = (): number => {
    let x = 0;
    let shift = 0;
    for (;;) {
      const c = batch[at++] as number;
      x |= (c & 0x7f) << shift;
      if (c < 0x80) return x >>> 0;
      shift += 7;
    }
  };
  const source = get();
  while (at < batch.length) {
    const edge = get();
    const n = get();
    let i = -1;
    for (let j = 0; j < 2 * n; j += 2) {
      i += get() + 1;
      const z = get();
      pairs[j] = i;
      pairs[j + 1] = ((z >>> 1) ^ -(z & 1) ^ (s0[i] as number)) | 0;
    }
    f(source, edge, n);
  }
}
