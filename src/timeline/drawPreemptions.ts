/**
 * Preemption markers: where the schedule switches away from a thread that
 * could still have run, a small notch on that thread's lane at the boundary
 * of the step the other thread takes. Filled when the preemption is
 * load-bearing (removing it loses the final violation), hollow when it is
 * not, grey when the run has no final violation to test it against. The
 * tooltip says which, in words.
 */
import type { TracePreemption } from '../engine';
import type { Frame, Layer } from './frame';

export function preemptionTitle(name: string, required: boolean | null): string {
  if (required === true)
    return `${name} preempted here: required (without it the violation does not happen)`;
  if (required === false)
    return `${name} preempted here: not required (the violation happens without it)`;
  return `${name} preempted here`;
}

const cls = (p: TracePreemption) =>
  `tl-preemption ${p.required === true ? 'is-required' : p.required === false ? 'is-optional' : 'is-unknown'}`;

export function drawPreemptions(layer: Layer, f: Frame): void {
  const trace = f.model.trace;
  const [a, b] = f.win;
  const shown = trace.preemptions.filter((p) => p.step >= a - 1 && p.step <= b + 1);
  const h = f.layout.sizes.markH;
  // Big enough to hover at any zoom, small enough not to cover the marks' labels.
  const w = Math.max(5, Math.min(9, h * 0.4));
  layer
    .selectAll<SVGPathElement, TracePreemption>('path.tl-preemption')
    .data(shown, (p) => String(p.step))
    .join((enter) => {
      const p = enter
        .append('path')
        .attr('class', cls)
        .attr('data-testid', 'preemption-marker')
        .attr('data-step', (d) => d.step)
        .attr('data-thread', (d) => d.from)
        .attr('data-required', (d) => String(d.required));
      p.append('title').text((d) =>
        preemptionTitle(trace.threads[d.from]?.name ?? `thread ${d.from}`, d.required),
      );
      return p;
    })
    .attr('d', (p) => {
      const x = f.scale.stepToPx(p.step);
      const y = f.layout.lanes[p.from]?.markY ?? 0;
      // A downward wedge over the lane's marks, its tip on the switch, and a tick through them.
      return `M${x - w / 2},${y - w - 1}H${x + w / 2}L${x},${y - 1}ZM${x},${y - 1}V${y + h}`;
    });
}
