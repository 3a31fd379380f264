import { describe, expect, it } from 'vitest';
import { TimeScale } from './timeScale';

// 100 steps over the pixels [100, 1100]: 10 px per step at zoom 1.
const base = new TimeScale([0, 100], [100, 1100]);

describe('TimeScale', () => {
  it.each([
    [0, 100],
    [1, 110],
    [50.5, 605],
    [100, 1100],
  ])('at zoom 1 maps step %d to %d px', (step, px) => {
    expect(base.stepToPx(step)).toBeCloseTo(px);
    expect(base.pxToStep(px)).toBeCloseTo(step);
  });

  it('applies a zoom transform as d3-zoom does: px = x + k * base', () => {
    const s = base.withTransform({ k: 4, x: -1200 });
    expect(s.pxPerStep).toBeCloseTo(40);
    // base(30) = 400; 4 * 400 - 1200 = 400
    expect(s.stepToPx(30)).toBeCloseTo(400);
    expect(s.pxToStep(400)).toBeCloseTo(30);
  });

  it.each([
    [{ k: 1, x: 0 }, [0, 100], [0, 100]],
    [{ k: 4, x: -1200 }, [22.5, 47.5], [22, 48]],
    [{ k: 10, x: -9900 }, [90, 100], [90, 100]],
  ])('visible window and slots for %o', (t, win, slots) => {
    const s = base.withTransform(t);
    const [a, b] = s.visibleWindow();
    expect(a).toBeCloseTo(win[0] ?? NaN);
    expect(b).toBeCloseTo(win[1] ?? NaN);
    expect(s.visibleSteps()).toEqual(slots);
  });

  it('transformFor shows exactly the asked window', () => {
    const t = base.transformFor(20, 30);
    const s = base.withTransform(t);
    expect(t.k).toBeCloseTo(10);
    expect(s.stepToPx(20)).toBeCloseTo(100);
    expect(s.stepToPx(30)).toBeCloseTo(1100);
  });

  it('transformFor clamps to the domain and to the maximum zoom', () => {
    const s = base.withTransform(base.transformFor(-50, 500));
    expect(s.k).toBe(1);
    expect(s.visibleWindow()).toEqual([0, 100]);
    expect(base.transformFor(10, 10.001, 8).k).toBe(8);
  });

  it('clamp keeps the domain covering the range', () => {
    expect(base.clamp({ k: 2, x: 500 })).toEqual({ k: 2, x: -100 });
    expect(base.clamp({ k: 2, x: -5000 })).toEqual({ k: 2, x: -1100 });
    expect(base.clamp({ k: 0.5, x: 0 })).toEqual({ k: 1, x: 0 });
  });

  it('panToInclude returns null when the step is already in view', () => {
    expect(base.withTransform({ k: 4, x: -1200 }).panToInclude(30, 20)).toBeNull();
  });

  it('panToInclude moves to the nearest edge, or to an anchor', () => {
    const s = base.withTransform({ k: 4, x: -1200 }); // shows 22.5 .. 47.5
    const edge = s.withTransform(s.panToInclude(60, 20) ?? { k: 0, x: 0 });
    expect(edge.stepToPx(60)).toBeCloseTo(1080);
    const anchored = s.withTransform(s.panToInclude(60, 20, 0.25) ?? { k: 0, x: 0 });
    expect(anchored.stepToPx(60)).toBeCloseTo(350);
    expect(anchored.k).toBe(4);
  });

  it('panToInclude never pans past the ends of the domain', () => {
    const s = base.withTransform({ k: 4, x: -1200 });
    const t = s.panToInclude(0, 20, 0.5);
    expect(t).not.toBeNull();
    expect(s.withTransform(t ?? s).visibleWindow()[0]).toBeCloseTo(0);
  });

  it('survives an empty domain', () => {
    const s = new TimeScale([0, 0], [0, 500]);
    expect(Number.isFinite(s.stepToPx(0))).toBe(true);
    expect(s.visibleSteps()).toEqual([0, 0]);
  });
});
