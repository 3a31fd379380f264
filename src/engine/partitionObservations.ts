import { Growable } from './growable';
import type { LockGraph } from './lockGraph';

/**
 * A worker's lock observations (the lock rules' input), per local state: a
 * run of ids into a table of the distinct ones, each serialised once as
 * JSON. The merge applies them in the serial search's order
 * (partitionWalk.ts), so the lock rules see what the serial search saw.
 */
export class ObservationLog {
  readonly start = new Growable(Int32Array);
  readonly count = new Growable(Uint8Array);
  readonly obs = new Growable(Uint16Array);
  /** Distinct observations, as JSON. */
  readonly table: string[] = [];
  /** By LockGraph.observationKey (or JSON beyond its reach): id in `table`. */
  private readonly ids = new Map<number | string, number>();

  constructor(private readonly lockGraph: LockGraph) {}

  /** Room for state `id`, with no observations until `record`. */
  ensure(id: number): void {
    this.start.ensure(id + 1);
    this.count.ensure(id + 1);
  }

  /** Records state `id`'s observations: one per thread about to acquire something. */
  record(id: number, s: Int32Array, threads: number): void {
    const lg = this.lockGraph;
    this.start.a[id] = this.obs.length;
    let n = 0;
    for (let t = 0; t < threads; t++) {
      const k = lg.observationKey(s, t);
      if (k === -1) continue;
      const key = k === -2 ? JSON.stringify(lg.observation(s, t)) : k;
      let oid = this.ids.get(key);
      if (oid === undefined) {
        this.ids.set(key, (oid = this.table.length));
        this.table.push(JSON.stringify(lg.observation(s, t)));
      }
      this.obs.push(oid);
      n++;
    }
    this.count.a[id] = n;
  }

  get bytes(): number {
    return this.start.bytes + this.count.bytes + this.obs.bytes;
  }
}
