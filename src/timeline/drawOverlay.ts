/**
 * What sits over the lanes: the step axis, the cursor and the veil over the
 * future, and the violations with their cause arrows. Violations appear only
 * once the cursor has passed their step, so a speaker stepping through the
 * race does not give away the ending.
 */
import { axisTop } from 'd3-axis';
import { scaleLinear } from 'd3-scale';
import type { Frame, Layer } from './frame';
import type { CauseArrow } from './violations';
import { arrowPath, markTop } from './geometry';
import { stepName, stepNumber } from './labels';

export function drawAxis(layer: Layer, f: Frame): void {
  const [a, b] = f.win;
  // Shifted by half a step so that a tick sits under the middle of its step's
  // slot; labelled with the step's number (index + 1), as every view counts.
  const sc = scaleLinear()
    .domain([a - 0.5, b - 0.5])
    .range([f.scale.stepToPx(a), f.scale.stepToPx(b)]);
  const count = Math.max(2, Math.floor((f.layout.plotX1 - f.layout.plotX0) / 70));
  const n = f.model.trace.steps.length;
  // Skip ticks whose label the gutter would half cover.
  const minX = f.layout.plotX0 + f.layout.sizes.charW * 0.5 + 1;
  const ticks = sc
    .ticks(count)
    .filter((v) => Number.isInteger(v) && v >= 0 && v < n && sc(v) >= minX);
  layer.attr('transform', `translate(0,${f.layout.sizes.axisH - 1})`).call(
    axisTop(sc)
      .tickValues(ticks)
      .tickFormat((v) => String(stepNumber(Number(v))))
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
    .attr('display', x < l.plotX0 - 1 || x > l.plotX1 + 1 ? 'none' : null);
  cursorG
    .select('line')
    .attr('y1', l.sizes.axisH - 4)
    .attr('y2', l.height);
  const a = l.sizes.font * 0.6;
  const y = l.sizes.axisH;
  cursorG.select('path').attr('d', `M${-a},${y - a * 1.4}H${a}L0,${y}Z`);
  // At the end of a stuck run the extra slot is the present, not the future.
  const n = f.model.trace.steps.length;
  const v0 = Math.max(f.cursor >= n ? f.scale.stepToPx(f.model.extent) : x, l.plotX0);
  veil
    .select('rect')
    .attr('x', v0)
    .attr('y', top)
    .attr('width', Math.max(0, l.plotX1 + 4 - v0))
    .attr('height', Math.max(0, l.height - top));
}

interface Ring {
  key: string;
  step: number;
  cls: string;
  title: string;
}

export function drawArrows(layer: Layer, f: Frame): void {
  const shown = f.model.violations.filter((v) => f.cursor > v.step);
  const s = f.layout.sizes;
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

  layer
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
      p.append('title').text(
        (a) => `${stepName(a.from)}: ${a.role ?? a.style} → ${stepName(a.to)}`,
      );
      return p;
    })
    .attr('d', (a) => arrowPath(f, a));

  const ppx = f.scale.pxPerStep;
  const pad = ppx > 8 ? 3 : 2;
  layer
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
}
