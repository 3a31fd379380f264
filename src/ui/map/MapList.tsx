import { memo } from 'react';
import type { MapView } from '../../scenarios/mapLayout';
import { count, groupLabel, kindColour, kindsLabel, sizeUnit } from './describe';

const states = (n: number) => `${count(n)} final state${n === 1 ? '' : 's'}`;

/** What a kind's or group's size says, from the engine's totals (never summed from a list). */
function sized(v: MapView, executions: number | null, reduced: boolean): string {
  if (!v.sizedByExecutions || executions === null) return '';
  return `, ${count(executions)} ${sizeUnit(reduced, executions)}`;
}

/** The colours by violation kind, with each kind's states and interleavings. Memoised: hovers re-render the map. */
export const MapLegend = memo(function MapLegend({
  view,
  reduced,
}: {
  view: MapView;
  reduced: boolean;
}) {
  return (
    <div className="outcome-map-legend" data-testid="outcome-map-legend">
      <ul className="plain">
        {view.kinds.map((k) => (
          <li key={k.mask}>
            <span
              className="outcome-map-swatch"
              style={{ background: kindColour(k.kinds) }}
              aria-hidden="true"
            />
            <strong>{kindsLabel(k.kinds)}</strong>: {states(k.outcomes)}
            {sized(view, k.executions, reduced)}
          </li>
        ))}
      </ul>
      <p className="outcome-map-note" data-testid="outcome-map-sizing">
        {view.sizedByExecutions
          ? `Each cell is a distinct final state, its area the ${sizeUnit(reduced, 2)} that reach it; violating kinds first.`
          : 'The search is incomplete, so nothing was counted: every final state is drawn the same size. Violating kinds first.'}
      </p>
    </div>
  );
});

/**
 * The map in words (its text alternative): each kind, the fields its groups
 * are keyed by, and each group with its counts and a replay of its largest state.
 */
export const MapList = memo(function MapList({
  view,
  reduced,
  onReplay,
}: {
  view: MapView;
  reduced: boolean;
  onReplay: (p: number) => unknown;
}) {
  // Groups list their states largest first; unsized (incomplete) ones in discovery order.
  const which = view.sizedByExecutions ? 'the largest' : 'the first';
  return (
    <details className="outcome-map-list" data-testid="outcome-map-list">
      <summary>The map as a list ({view.groups.length} groups)</summary>
      {view.kinds.map((k, ki) => (
        <section key={k.mask}>
          <h4>
            {kindsLabel(k.kinds)}: {states(k.outcomes)}
            {sized(view, k.executions, reduced)}
          </h4>
          <ul>
            {view.groups.slice(k.firstGroup, k.endGroup).map((g, j) => {
              const gi = k.firstGroup + j;
              return (
                <li key={gi}>
                  {groupLabel(view, gi)}: {states(g.outcomes)}
                  {sized(view, g.executions, reduced)}{' '}
                  <button
                    type="button"
                    onClick={() => onReplay(g.start)}
                    aria-label={`Replay ${which} state of group ${j + 1} of ${kindsLabel(k.kinds)} (kind ${ki + 1})`}
                  >
                    Replay {which}
                  </button>
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </details>
  );
});
