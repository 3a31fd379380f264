type TypedArray = Float64Array | Int32Array | Int16Array | Uint16Array | Uint8Array;
type Ctor<A extends TypedArray> = new (length: number) => A;

/**
 * A typed array that grows by doubling: per-state data of the explorer, kept
 * flat (no object per state). Read and write `a` directly after `ensure`.
 */
export class Growable<A extends TypedArray> {
  a: A;
  length = 0;

  constructor(
    private readonly ctor: Ctor<A>,
    capacity = 1024,
  ) {
    this.a = new ctor(capacity);
  }

  /** Makes indices below `n` valid (new elements are 0). */
  ensure(n: number): void {
    if (n <= this.a.length) return;
    let cap = this.a.length * 2;
    while (cap < n) cap *= 2;
    const b = new this.ctor(cap);
    b.set(this.a as never);
    this.a = b;
  }

  push(x: number): void {
    if (this.length >= this.a.length) this.ensure(this.length + 1);
    this.a[this.length++] = x;
  }

  get bytes(): number {
    return this.a.byteLength;
  }
}
