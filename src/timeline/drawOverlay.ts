/**
 * What sits over the lanes: the step axis, the cursor and the veil over the
 * future, and the violations with their cause arrows. Violations appear only
 * once the cursor has passed their step, so a speaker stepping through the
 * race does not give away the ending.
 */
import { axisTop } from 'd3-axis';
import { scaleLinear } from 'd3-scale';
import type { Selection } from 'd3-selection';
import type { Frame, Layer } from './frame';
import { shortRole, type CauseArrow } from './spans';

export function drawAxis(layer: Layer, f: Frame): void {
  const [a, b] = f.win;
  // Shifted by half a step so that tick "i" sits under the middle of step i's slot.
  const sc = scaleLinear()
    .domain([a - 0.5, b - 0.5])
    .range([f.scale.stepToPx(a), f.scale.stepToPx(b)]);
  const count = Math.max(2, Math.floor((f.layout.plotX1 - f.layout.plotX0) / 70));
  const n = f.model.trace.steps.length;
  const ticks = sc.ticks(count).filter((v) => Number.isInteger(v) && v >= 0 && v < n);
  layer
    .attr('transform', `translate(0,${f.layout.sizes.axisH - 1})`)
    .call(
      axisTop(sc)
        .tickValues(ticks)
        .tickFormat((v) => String(v))
        .tickSizeOuter(0)
        .tickSize(4),
    );
}

export function drawCursor(cursorG: Layer, veil: Layer, f: Frame): void {
  const { layout: l } = f;
  const x = f.scale.stepToPx(f.cursor);
  const top = l.lanesY - l.sizes.flagH;
  cursorG
    .attr('transform', `translate(${x},0)`)
    .attr('data-cursor', f.cursor)
    .style('display', x < l.plotX0 - 1 || x > l.plotX1 + 1 ? 'none' : null);
  cursorG.select('line').attr('y1', l.sizes.axisH - 4).attr('y2', l.height);
  const v0 = Math.max(x, l.plotX0);
  veil
    .select('rect')
    .attr('x', v0)
    .attr('y', top)
    .attr('width', Math.max(0, l.plotX1 + 4 - v0))
    .attr('height', Math.max(0, l.height - top));
}

interface Positioned {
  x: number;
  y: number;
}

/** The top centre of step i's mark. */
function markTop(f: Frame, step: number): Positioned {
  const t = f.model.trace.steps[step]?.thread ?? 0;
  return { x: f.scale.stepToPx(step + 0.5), y: f.layout.lanes[t]?.markY ?? 0 };
}

function arrowPath(f: Frame, a: CauseArrow): string {
  const p = markTop(f, a.from);
  const q = markTop(f, a.to);
  const ceiling = f.layout.lanesY - f.layout.sizes.flagH + 4;
  const low = Math.min(p.y, q.y);
  const lift = Math.min(Math.max(24, Math.abs(q.x - p.x) * 0.2), low - ceiling);
  // A cubic with both controls at height c peaks at 3/4 of the way to c.
  const c = low - lift / 0.75;
  return `M${p.x},${p.y - 1}C${p.x},${c} ${q.x},${c} ${q.x},${q.y - 3}`;
}

interface Ring {
  key: string;
  step: number;
  cls: string;
  title: string;
}

export function drawViolations(layers: Record<'arrows' | 'flags', Layer>, f: Frame): void {
  const shown = f.model.violations.filter((v) => f.cursor > v.step);
  const s = f.layout.sizes;
  const top = f.layout.lanesY - s.flagH;
  const arrows = shown.flatMap((v) => v.arrows);
  const rings: Ring[] = shown.flatMap((v) => [
    { key: `v${v.step}`, step: v.step, cls: 'tl-ring is-violation', title: v.message },
    ...v.arrows.map((a) => ({
      key: `${a.style}${a.from}`,
      step: a.from,
      cls: `tl-ring is-${a.style}`,
      title: a.role ?? a.style,
    })),
  ]);

  layers.arrows
    .selectAll<SVGPathElement, CauseArrow>('path.tl-arrow')
    .data(arrows, (a) => `${a.style}:${a.from}:${a.to}`)
    .join((enter) => {
      const p = enter
        .append('path')
        .attr('class', (a) => `tl-arrow is-${a.style}`)
        .attr('data-testid', (a) => (a.style === 'cause' ? 'cause-arrow' : 'racing-arrow'))
        .attr('data-from', (a) => a.from)
        .attr('data-to', (a) => a.to)
        .attr('marker-end', (a) =>
          a.style === 'cause' ? `url(#${f.ids.arrowCause})` : `url(#${f.ids.arrowRacing})`,
        );
      p.append('title').text((a) => `step ${a.from}: ${a.role ?? a.style} → step ${a.to}`);
      return p;
    })
    .attr('d', (a) => arrowPath(f, a));

  const ppx = f.scale.pxPerStep;
  const pad = ppx > 8 ? 3 : 2;
  layers.arrows
    .selectAll<SVGRectElement, Ring>('rect.tl-ring')
    .data(rings, (r) => r.key)
    .join((enter) => {
      const r = enter.append('rect').attr('class', (d) => d.cls);
      r.append('title').text((d) => d.title);
      return r;
    })
    .each(function (d) {
      const w = Math.max(8, ppx) + 2 * pad;
      const m = markTop(f, d.step);
      this.setAttribute('x', String(m.x - w / 2));
      this.setAttribute('y', String(m.y - pad));
      this.setAttribute('width', String(w));
      this.setAttribute('height', String(s.markH + 2 * pad));
    });

  // Flags: the violation's kind to the right of its line, the causes' parts in
  // the story to the left of theirs (causes precede the violation, so the two
  // kinds of flag point away from each other).
  const flags = shown.flatMap((v) => [
    { key: `v${v.step}`, v, step: v.step, text: v.title, violation: true },
    ...v.arrows
      .filter((a) => a.style === 'cause')
      .map((a) => ({ key: `c${a.from}`, v, step: a.from, text: shortRole(a.role ?? 'stale read'), violation: false })),
  ]);
  type Flag = (typeof flags)[number];
  const sel = layers.flags
    .selectAll<SVGGElement, Flag>('g.tl-flag')
    .data(flags, (d) => d.key)
    .join((enter) => {
      const g = enter.append('g').attr('class', (d) => (d.violation ? 'tl-flag is-violation' : 'tl-flag is-cause'));
      g.filter((d) => d.violation)
        .attr('data-testid', 'violation-marker')
        .attr('data-kind', (d) => d.v.kind)
        .attr('data-step', (d) => d.step);
      g.append('line');
      g.append('rect');
      g.append('text').text((d) => d.text);
      g.append('title').text((d) => (d.violation ? d.v.message : `step ${d.step}: ${d.text}`));
      return g;
    });
  placeFlags(sel, f, top);
}

function placeFlags(
  sel: Selection<SVGGElement, { step: number; text: string; violation: boolean }, SVGGElement, unknown>,
  f: Frame,
  top: number,
): void {
  const s = f.layout.sizes;
  const h = s.flagH - 8;
  sel.each(function (d) {
    const x = f.scale.stepToPx(d.step + 0.5);
    const w = d.text.length * s.charW + 12;
    // Flip to the other side when the preferred side would leave the plot.
    let right = d.violation ? x + w + 4 <= f.layout.plotX1 : x - w - 4 < f.layout.plotX0;
    if (!d.violation && right && x + w > f.layout.plotX1) right = false;
    const bx = right ? x + 4 : x - 4 - w;
    const [line, rect, text] = [this.children[0], this.children[1], this.children[2]];
    this.setAttribute('transform', `translate(0,${top})`);
    line?.setAttribute('x1', String(x));
    line?.setAttribute('x2', String(x));
    line?.setAttribute('y1', String(4));
    line?.setAttribute('y2', String(d.violation ? f.layout.height - top : s.flagH));
    rect?.setAttribute('x', String(bx));
    rect?.setAttribute('y', '4');
    rect?.setAttribute('width', String(w));
    rect?.setAttribute('height', String(h));
    text?.setAttribute('x', String(bx + 6));
    text?.setAttribute('y', String(4 + h / 2 + s.font * 0.36));
  });
}
