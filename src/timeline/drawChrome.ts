/**
 * The parts that change only with the trace, the size or talk mode: SVG
 * definitions, lane backgrounds and the sticky gutter with thread names.
 */
import type { Selection } from 'd3-selection';
import type { Ids, Layer } from './frame';
import { roleChars as roleCharsOf, wrap, type Lane, type Layout } from './layout';
import type { TimelineModel } from './spans';

export function drawDefs(
  defs: Selection<SVGDefsElement, unknown, null, undefined>,
  ids: Ids,
  l: Layout,
): void {
  defs.selectAll('*').remove();
  defs
    .append('clipPath')
    .attr('id', ids.clip)
    .append('rect')
    .attr('x', l.plotX0)
    .attr('y', 0)
    .attr('width', Math.max(0, l.plotX1 - l.plotX0))
    .attr('height', l.height);
  // Read-held rwlocks are hatched, write-held ones solid: the difference must
  // survive greyscale and colour blindness, so it is a pattern, not a hue.
  const hatch = defs
    .append('pattern')
    .attr('id', ids.hatch)
    .attr('patternUnits', 'userSpaceOnUse')
    .attr('width', 6)
    .attr('height', 6)
    .attr('patternTransform', 'rotate(45)');
  hatch.append('rect').attr('class', 'tl-hatch-bg').attr('width', 6).attr('height', 6);
  hatch
    .append('line')
    .attr('class', 'tl-hatch-line')
    .attr('x1', 0)
    .attr('y1', 0)
    .attr('x2', 0)
    .attr('y2', 6);
  const size = l.sizes.font * 0.8;
  for (const [id, cls] of [
    [ids.arrowCause, 'is-cause'],
    [ids.arrowRacing, 'is-racing'],
  ] as const) {
    defs
      .append('marker')
      .attr('id', id)
      .attr('viewBox', '0 0 10 10')
      .attr('refX', 8)
      .attr('refY', 5)
      .attr('markerUnits', 'userSpaceOnUse')
      .attr('markerWidth', size)
      .attr('markerHeight', size)
      .attr('orient', 'auto')
      .append('path')
      .attr('class', `tl-arrowhead ${cls}`)
      .attr('d', 'M0,0L10,5L0,10Z');
  }
}

export function drawLanes(bg: Layer, gutter: Layer, model: TimelineModel, l: Layout): void {
  const s = l.sizes;
  bg.selectAll('*').remove();
  gutter.selectAll('*').remove();
  bg.selectAll('rect')
    .data(l.lanes)
    .join('rect')
    .attr('class', (d) => (d.thread % 2 ? 'tl-lane is-odd' : 'tl-lane'))
    .attr('x', 0)
    .attr('y', (d) => d.y)
    .attr('width', l.plotX1)
    .attr('height', (d) => d.height);
  // The gutter sits above the plot and is not zoomed, so names stay put while panning.
  gutter
    .append('rect')
    .attr('class', 'tl-gutter-bg')
    .attr('width', l.plotX0)
    .attr('height', l.height);
  gutter
    .append('text')
    .attr('class', 'tl-gutter-head')
    .attr('x', l.plotX0 - 8)
    .attr('y', s.axisH - 8)
    .text('step');
  const roleChars = roleCharsOf(s);
  const g = gutter
    .selectAll<SVGGElement, Lane>('g.tl-thread')
    .data(l.lanes)
    .join('g')
    .attr('class', 'tl-thread')
    .attr('data-testid', 'thread-label')
    .attr('transform', (d) => `translate(10,${d.y + s.pad})`);
  g.append('text')
    .attr('class', 'tl-thread-name')
    .attr('y', s.nameFont)
    .text((d) => model.trace.threads[d.thread]?.name ?? `thread ${d.thread}`);
  const roleLines = (d: Lane) =>
    wrap(
      model.trace.threads[d.thread]?.role ?? '',
      roleChars,
      Math.max(1, Math.floor((d.height - s.nameFont - 2 * s.pad) / (s.font + 3))),
    );
  g.append('text')
    .attr('class', 'tl-thread-role')
    .selectAll('tspan')
    .data(roleLines)
    .join('tspan')
    .attr('x', 0)
    .attr('y', (_, i) => s.nameFont + (i + 1) * (s.font + 3) + 2)
    .text((line) => line);
  g.append('title').text((d) => {
    const th = model.trace.threads[d.thread];
    return th ? `${th.name}: ${th.role}` : '';
  });
  gutter
    .append('line')
    .attr('class', 'tl-gutter-edge')
    .attr('x1', l.plotX0 - 0.5)
    .attr('x2', l.plotX0 - 0.5)
    .attr('y1', 0)
    .attr('y2', l.height);
}

// Word wrap lives with the layout, which sizes talk-mode lanes by it.
export { wrap } from './layout';
