/**
 * Step <-> pixel math for the timeline, after perfetto's `TimeScale`.
 *
 * Units: a step `i` occupies the slot [i, i + 1) on the step axis, so the
 * domain of an n-step trace is [0, n] and "after step i" is the boundary
 * i + 1. Pixels are SVG user units. The zoom transform is d3-zoom's, x only:
 * `px = x + k * base(step)`, where `base` maps the domain onto the range.
 * Keeping this separate from d3-scale lets the render loop convert without
 * allocating a new scale per zoom event.
 */

/** A d3-zoom transform restricted to the x axis. */
export interface XTransform {
  readonly k: number;
  readonly x: number;
}

export const IDENTITY: XTransform = { k: 1, x: 0 };

export class TimeScale {
  readonly d0: number;
  readonly d1: number;
  readonly r0: number;
  readonly r1: number;
  readonly k: number;
  readonly x: number;
  /** Pixels per step at zoom 1. */
  private readonly base: number;

  constructor(
    domain: readonly [number, number],
    range: readonly [number, number],
    transform: XTransform = IDENTITY,
  ) {
    [this.d0, this.d1] = domain;
    [this.r0, this.r1] = range;
    // An empty domain or range would divide by zero; treat it as one step / one pixel.
    const span = Math.max(this.d1 - this.d0, 1e-9);
    this.base = Math.max(this.r1 - this.r0, 1) / span;
    this.k = transform.k;
    this.x = transform.x;
  }

  withTransform(t: XTransform): TimeScale {
    return new TimeScale([this.d0, this.d1], [this.r0, this.r1], t);
  }

  /** Pixels per step at the current zoom. */
  get pxPerStep(): number {
    return this.base * this.k;
  }

  stepToPx(step: number): number {
    return this.x + this.k * (this.r0 + (step - this.d0) * this.base);
  }

  pxToStep(px: number): number {
    return this.d0 + ((px - this.x) / this.k - this.r0) / this.base;
  }

  /** The step interval [start, end] shown in the range, clamped to the domain. */
  visibleWindow(): [number, number] {
    const a = Math.max(this.d0, this.pxToStep(this.r0));
    const b = Math.min(this.d1, this.pxToStep(this.r1));
    return [a, Math.max(a, b)];
  }

  /**
   * Indices of the step slots that overlap the range, as [first, last + 1):
   * what the renderer must draw. Integer bounds, so culling is a slice.
   */
  visibleSteps(): [number, number] {
    const [a, b] = this.visibleWindow();
    return [Math.floor(a), Math.min(Math.ceil(b), Math.ceil(this.d1))];
  }

  /** The transform that shows exactly [start, end] of the domain in the range. */
  transformFor(start: number, end: number, maxK = Infinity): XTransform {
    const lo = Math.max(this.d0, Math.min(start, end));
    const hi = Math.min(this.d1, Math.max(start, end));
    const k = (this.d1 - this.d0) / Math.max(hi - lo, 1e-9);
    const at = this.r0 + (lo - this.d0) * this.base;
    return this.clamp({ k, x: this.r0 - k * at }, maxK);
  }

  /**
   * Constrains a transform as d3-zoom's scaleExtent [1, maxK] and a translate
   * extent equal to the range do: the domain always covers the whole range.
   * (`zoom.transform` itself does not constrain, so programmatic moves go through here.)
   */
  clamp(t: XTransform, maxK = Infinity): XTransform {
    const k = Math.min(Math.max(1, t.k), Math.max(1, maxK));
    const x = Math.min(this.r0 * (1 - k), Math.max(this.r1 * (1 - k), t.x));
    return { k, x };
  }

  /**
   * The transform with the same zoom that brings `step` into view with
   * `margin` pixels to spare, or null when it is already in view. With
   * `anchor` (a fraction of the range) the step lands there instead of at the
   * nearest edge: following a cursor page by page is easier on an audience
   * than scrolling one step at a time.
   */
  panToInclude(step: number, margin: number, anchor?: number): XTransform | null {
    const px = this.stepToPx(step);
    const m = Math.min(margin, (this.r1 - this.r0) / 3);
    if (px >= this.r0 + m && px <= this.r1 - m) return null;
    const edge = px < this.r0 + m ? this.r0 + m : this.r1 - m;
    const target = anchor === undefined ? edge : this.r0 + anchor * (this.r1 - this.r0);
    const t = this.clamp({ k: this.k, x: this.x + target - px });
    return t.x === this.x ? null : t;
  }
}
