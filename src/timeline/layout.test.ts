import { describe, expect, it } from 'vitest';
import { traceReport } from '../scenarios/report';
import { buildModel } from './spans';
import { computeLayout, roleChars, traceTimelineHeight, wrap } from './layout';

const aba = buildModel(traceReport('aba', 'buggy', 'canonical', { complete: true }));
const scaled = buildModel(
  traceReport('dirty-bit-scaled', 'buggy', 'canonical', { complete: true, params: { n: 6 } }),
);

describe('talk mode fills the free height', () => {
  // Free heights of the timeline in talk mode at 1280×720 and 1920×1080, and a tall window.
  it.each([
    [aba, 380],
    [aba, 780],
    [scaled, 780],
    [scaled, 460],
  ])('lanes fill %#: never taller than the space, and within 10 % of it', (model, free) => {
    const l = computeLayout(model, 1400, true, free);
    expect(l.height).toBeLessThanOrEqual(free);
    expect(l.height).toBeGreaterThan(free * 0.9);
    expect(traceTimelineHeight(model.trace, true, free)).toBe(l.height);
  });

  it('on a very tall screen lanes stop growing (marks would be blobs), still within the space', () => {
    const l = computeLayout(aba, 1400, true, 3000);
    expect(l.height).toBeLessThan(3000);
    expect(l.height).toBeGreaterThan(computeLayout(aba, 1400, true, 780).height);
  });

  it('the normal view ignores a height to fill', () => {
    expect(computeLayout(aba, 1400, false, 2000).height).toBe(
      computeLayout(aba, 1400, false).height,
    );
  });

  it.each([380, 780])('every thread role fits its lane whole, at a free height of %i', (free) => {
    const l = computeLayout(aba, 1400, true, free);
    const s = l.sizes;
    const lines = Math.floor((l.lanes[0]!.height - s.nameFont - 2 * s.pad) / (s.font + 3));
    for (const th of aba.trace.threads)
      expect(wrap(th.role, roleChars(s), lines).join(' ')).not.toContain('…');
  });
});
