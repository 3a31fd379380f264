import type { ReactNode } from 'react';
import { shapePath } from '../timeline/geometry';
import type { MarkCategory } from '../timeline/labels';

const W = 34;
const H = 18;

/** A swatch drawn with the timeline's own classes, so it follows the palette (talk mode too). */
function Swatch({ talk, children }: { talk: boolean; children: ReactNode }) {
  return (
    <svg
      className={`tl-root legend-swatch${talk ? ' tl-talk' : ''}`}
      width={W}
      height={H + 4}
      viewBox={`-2 -2 ${W} ${H + 4}`}
      aria-hidden="true"
    >
      {children}
    </svg>
  );
}

/** The timeline's preemption wedge (drawPreemptions.ts) at x, in the swatch's box. */
const WEDGE = (x: number) => `M${x - 4},2H${x + 4}L${x},8ZM${x},8V${H}`;

const MARKS: [MarkCategory, string][] = [
  ['read', 'reads shared memory (old_spte = *sptep)'],
  ['write', 'plain store to shared memory'],
  ['atomic', 'atomic read-modify-write: cmpxchg, xchg, atomic or/add'],
  ['sync', 'lock, unlock, SRCU, TLB flush'],
  ['guest', 'the guest: an access through the TLB or page walk, a guest PTE write'],
  ['host', 'host work outside KVM: GUP, reclaim, migration, harvest copy'],
  ['control', 'local work: registers and branches only'],
];

/**
 * What the timeline's shapes, colours and patterns and the code pane's and
 * inspector's highlights mean. Each swatch is drawn from the same shapes and
 * CSS classes as the timeline, so the legend cannot drift from the drawing.
 */
export function Legend({ talk }: { talk: boolean }) {
  return (
    <details className="legend" data-testid="legend">
      <summary>Legend: what the shapes, colours and highlights mean</summary>
      <div className="legend-body">
        <section aria-label="Step marks">
          <h4>Step marks (one per step, shape by kind)</h4>
          <ul className="plain">
            {MARKS.map(([cat, text]) => (
              <li key={cat} data-testid={`legend-${cat}`}>
                <Swatch talk={talk}>
                  <g className={`tl-mark cat-${cat}`}>
                    <path d={shapePath(cat, W - 4, H)} />
                  </g>
                </Swatch>
                {text}
              </li>
            ))}
          </ul>
        </section>
        <section aria-label="Bands and arrows">
          <h4>Bands, flags and arrows</h4>
          <ul className="plain">
            <li>
              <Swatch talk={talk}>
                <g className="tl-lock mode-write" data-row="0">
                  <rect className="tl-band-shape" y={3} width={W - 4} height={H - 6} />
                </g>
              </Swatch>
              lock held for write or exclusively (solid)
            </li>
            <li>
              <Swatch talk={talk}>
                <defs>
                  <pattern
                    id="legend-hatch"
                    patternUnits="userSpaceOnUse"
                    width={6}
                    height={6}
                    patternTransform="rotate(45)"
                  >
                    <rect className="tl-hatch-bg" width={6} height={6} />
                    <line className="tl-hatch-line" x1={0} y1={0} x2={0} y2={6} />
                  </pattern>
                </defs>
                <g className="tl-lock mode-read" data-row="0">
                  <rect
                    className="tl-band-shape"
                    y={3}
                    width={W - 4}
                    height={H - 6}
                    fill="url(#legend-hatch)"
                  />
                </g>
              </Swatch>
              lock held for read (hatched)
            </li>
            <li>
              <Swatch talk={talk}>
                <g className="tl-wait">
                  <rect className="tl-band-shape" y={3} width={W - 4} height={H - 6} />
                </g>
              </Swatch>
              the CPU cannot run: waits for a lock, a grace period, a flush (dashed)
            </li>
            <li>
              <Swatch talk={talk}>
                <g className="tl-srcu">
                  <rect className="tl-band-shape" y={3} width={W - 4} height={H - 6} />
                </g>
              </Swatch>
              inside an SRCU read section; a dotted outline is a grace period
            </li>
            <li>
              <Swatch talk={talk}>
                <g className="tl-flag is-violation">
                  <rect x={0} y={2} width={W - 4} height={H - 4} />
                </g>
              </Swatch>
              a violation the engine detected, at its step (with a dashed line down)
            </li>
            <li>
              <Swatch talk={talk}>
                <path
                  className="tl-arrow is-cause"
                  d={`M0,${H - 2}Q${W / 2},0 ${W - 4},${H - 2}`}
                />
              </Swatch>
              solid arrow and ring: a step that causes the violation (the stale read, the store)
            </li>
            <li>
              <Swatch talk={talk}>
                <path
                  className="tl-arrow is-racing"
                  d={`M0,${H - 2}Q${W / 2},0 ${W - 4},${H - 2}`}
                />
              </Swatch>
              dashed arrow: a racing write by another CPU
            </li>
            <li data-testid="legend-preemption">
              <Swatch talk={talk}>
                <path className="tl-preemption is-required" d={WEDGE(W / 2 - 8)} />
                <path className="tl-preemption is-optional" d={WEDGE(W / 2 + 8)} />
              </Swatch>
              wedge: the thread is preempted here (switched away from while it could still run);
              filled when required (without it the violation does not happen), hollow when not
            </li>
            <li>
              <Swatch talk={talk}>
                <g className="tl-cursor">
                  <line x1={W / 2} x2={W / 2} y1={0} y2={H} />
                </g>
                <g className="tl-veil">
                  <rect x={W / 2} width={W / 2 - 2} height={H} />
                </g>
              </Swatch>
              the cursor; steps after it (the future) are dimmed
            </li>
          </ul>
        </section>
        <section aria-label="Highlights">
          <h4>Code and state</h4>
          <ul className="plain">
            <li>
              <span className="legend-chip code-current">blue line</span> the line each CPU runs
              next
            </li>
            <li>
              <span className="legend-chip code-ran">amber line</span> the line just run
            </li>
            <li>
              <span className="legend-chip changed">amber outline</span> state the last step changed
            </li>
            <li>
              <span className="legend-chip local stale">red bar</span> a CPU local that no longer
              matches the memory it was read from (stale)
            </li>
            <li>
              <span className="legend-chip local rewritten">dashed bar</span> a local equal to
              memory again after other CPUs rewrote it (ABA)
            </li>
            <li>
              <span className="legend-chip at-risk-chip">red gfn</span> written since the
              destination's copy, yet not in the dirty bitmap
            </li>
          </ul>
        </section>
      </div>
    </details>
  );
}
